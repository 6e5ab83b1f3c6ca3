// Output a run collects without onStream/onDisplay: the head and the tail within limits, and what was dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { HeadTail, TEXT } from '../../extension/engine/session/headTail';
import { PendingRuns } from '../../extension/engine/session/pendingRuns';
import type { DisplayData, ResultEvent, StreamEvent } from '../../shared/agentProtocol';
import { OUTPUT_LIMITS } from '../../extension/engine/session/runOutput';
import type { RunOptions, RunOutcome } from '../../extension/engine/session/sessionTypes';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** V8's heap in use after a garbage collection: what is still held. */
function liveBytes(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const never = { timeout: () => assert.fail('no timeout'), abort: () => assert.fail('no abort') };
const result: ResultEvent = { type: 'result', id: 1, seq: 0, pyType: 'NoneType', repr: '', value: null, durationMs: 1 };

/** One run on PendingRuns fed the way the agent's events feed it; resolves with its outcome. */
function run(limits = OUTPUT_LIMITS, options: RunOptions = {}) {
  const runs = new PendingRuns(limits);
  const outcome = runs.add(1, options, false, { queuedAt: 0, sentAt: 0, bytesSent: 0, bytesReceived: 0 }, never);
  return {
    print: (text: string, name: 'stdout' | 'stderr' = 'stdout') => runs.stream({ type: 'stream', id: 1, seq: 0, name, text } satisfies StreamEvent, text.length),
    show: (display: DisplayData) => runs.display({ type: 'display', id: 1, seq: 0, ...display }, display.data.length),
    finish: (): Promise<RunOutcome> => {
      runs.finish(1, result, 10);
      return outcome;
    },
  };
}

describe('a run without onStream', () => {
  it('keeps the head and the tail of 64 MiB of stdout, with a line that says how much was dropped', async () => {
    const r = run();
    const chunk = (i: number) => `${String(i).padStart(6, '0')}${'x'.repeat(1017)}\n`.repeat(64); // 64 KiB, a new string each time
    const before = liveBytes();
    r.print('first line\n');
    for (let i = 0; i < 1024; i++) r.print(chunk(i));
    r.print('last line\n');
    const held = liveBytes() - before;
    assert.ok(held < 16 << 20, `the run holds ${(held / 2 ** 20).toFixed(1)} MiB after 64 MiB of output`);
    const outcome = await r.finish();
    const { head, tail } = OUTPUT_LIMITS.text;
    const total = 'first line\n'.length + 1024 * chunk(0).length + 'last line\n'.length;
    assert.ok(outcome.stdout.length < head + tail + 200, `stdout is bounded: ${outcome.stdout.length} characters kept of ${total}`);
    assert.ok(outcome.stdout.startsWith('first line\n000000xxx'), 'the head is kept');
    assert.ok(outcome.stdout.endsWith(`x\nlast line\n`), 'the tail is kept');
    const dropped = total - head - tail;
    assert.match(outcome.stdout, new RegExp(`\\n… ${dropped.toLocaleString('en-US')} bytes of output dropped …\\n`));
    assert.deepEqual(outcome.dropped, { stdoutBytes: dropped, stderrBytes: 0, displays: 0 });
    assert.equal(outcome.stderr, '');
  });

  it('keeps everything, with no dropped field, under the limits', async () => {
    const r = run();
    r.print('a\n');
    r.print('warn\n', 'stderr');
    r.print('b\n');
    const outcome = await r.finish();
    assert.deepEqual([outcome.stdout, outcome.stderr, outcome.displays, 'dropped' in outcome], ['a\nb\n', 'warn\n', [], false]);
  });

  it('bounds stdout and stderr each, and counts dropped bytes in UTF-8', async () => {
    const r = run({ text: { head: 4, tail: 3 }, displays: OUTPUT_LIMITS.displays });
    r.print('abcdef');
    r.print('ghij');
    r.print('ééééé€€€€', 'stderr');
    const outcome = await r.finish();
    assert.equal(outcome.stdout, 'abcd\n… 3 bytes of output dropped …\nhij');
    assert.equal(outcome.stderr, 'éééé\n… 5 bytes of output dropped …\n€€€');
    assert.deepEqual(outcome.dropped, { stdoutBytes: 3, stderrBytes: 5, displays: 0 });
  });

  it('keeps the first and the last displays within their limit, and counts the ones dropped', async () => {
    const r = run({ text: OUTPUT_LIMITS.text, displays: { head: 20, tail: 20 } });
    for (let i = 0; i < 10; i++) r.show({ mime: 'text/plain', data: `display ${i}` }); // 9 characters each
    const outcome = await r.finish();
    assert.deepEqual(outcome.displays.map((d) => d.data), ['display 0', 'display 1', 'display 2', 'display 8', 'display 9']);
    assert.deepEqual(outcome.dropped, { stdoutBytes: 0, stderrBytes: 0, displays: 5 });
  });

  it('collects nothing when onStream and onDisplay take the output', async () => {
    const seen: string[] = [];
    const r = run({ text: { head: 1, tail: 1 }, displays: { head: 1, tail: 1 } }, { onStream: (_, text) => seen.push(text), onDisplay: (d) => seen.push(d.mime) });
    r.print('hello\n');
    r.show({ mime: 'image/png', data: new Uint8Array(4) });
    const outcome = await r.finish();
    assert.deepEqual([seen, outcome.stdout, outcome.displays, outcome.dropped], [['hello\n', 'image/png'], '', [], undefined]);
  });
});

describe('HeadTail', () => {
  it('keeps exactly the first head and the last tail characters of any text, however it is chunked', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 60 }), fc.nat(50), fc.nat(50), (chunks, head, tail) => {
      const text = chunks.join('');
      const kept = new HeadTail({ head, tail }, TEXT);
      for (const chunk of chunks) kept.add(chunk);
      const [first, last] = [kept.headItems().join(''), kept.tailItems().join('')];
      if (text.length <= head + tail) {
        assert.equal(first + last, text);
        assert.equal(kept.dropped, 0);
      } else {
        assert.equal(first, text.slice(0, head));
        assert.equal(last, text.slice(text.length - tail));
        assert.equal(kept.dropped, Buffer.byteLength(text.slice(head, text.length - tail)));
      }
    }));
  });

  it('never splits a surrogate pair', () => {
    const kept = new HeadTail({ head: 2, tail: 3 }, TEXT);
    kept.add('€😀€😀😀');
    assert.deepEqual([kept.headItems().join(''), kept.tailItems().join(''), kept.dropped], ['€😀', '😀', 7]);
  });

  it('passes the head on to onHead instead of keeping it', () => {
    const passed: string[] = [];
    const kept = new HeadTail({ head: 5, tail: 2 }, TEXT, (text) => passed.push(text));
    for (const chunk of ['abc', 'defg', 'hij']) kept.add(chunk);
    assert.deepEqual([passed, kept.headItems(), kept.tailItems().join(''), kept.dropped], [['abc', 'de'], [], 'ij', 3]);
  });
});
