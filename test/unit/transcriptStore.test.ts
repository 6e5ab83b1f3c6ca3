// The transcript store: a session's transcript survives in a file (the newest entries that fit), and a bad file is
// reported and read as an empty transcript.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { TranscriptStore } from '../../extension/panel/transcriptStore';
import type { TranscriptEntry } from '../../shared/transcript';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-transcripts-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const entry = (n: number, text = `line ${n}\n`): TranscriptEntry => ({
  id: `e${n}`, count: n, code: `print(${n})`, source: 'REPL', state: 'running', collapsed: false, runId: n,
  outputs: [{ kind: 'stream', name: 'stdout', head: text, elidedLines: 0, tail: '' }],
});

describe('TranscriptStore', () => {
  it('gives back what was saved, per session, running entries and their run ids included', () => {
    const warnings: string[] = [];
    const store = new TranscriptStore(path.join(dir, 'a'), { warn: (m) => warnings.push(m) });
    assert.deepEqual(store.load('file:///w#default'), [], 'nothing saved yet');
    store.save('file:///w#default', [entry(1), entry(2)]);
    store.save('file:///w#other', [entry(3)]);
    assert.deepEqual(new TranscriptStore(path.join(dir, 'a'), { warn: () => undefined }).load('file:///w#default'), [entry(1), entry(2)]);
    assert.deepEqual(store.load('file:///w#other'), [entry(3)]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'a')).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');
  });

  it('keeps the newest entries within about 4 million characters', () => {
    const store = new TranscriptStore(path.join(dir, 'b'), { warn: () => undefined });
    const big = (n: number) => entry(n, 'x'.repeat(1_500_000));
    store.save('k', [big(1), big(2), big(3), big(4)]);
    assert.deepEqual(store.load('k').map((e) => e.id), ['e3', 'e4']);
  });

  it('reports a file it cannot read, and starts an empty transcript', () => {
    const warnings: string[] = [];
    const store = new TranscriptStore(path.join(dir, 'c'), { warn: (m) => warnings.push(m) });
    store.save('k', [entry(1)]);
    const [file] = fs.readdirSync(path.join(dir, 'c'));
    fs.writeFileSync(path.join(dir, 'c', file), '[{"id": "e1", ');
    assert.deepEqual(store.load('k'), []);
    assert.match(warnings.join('\n'), /could not read the saved transcript .*JSON/);
  });
});
