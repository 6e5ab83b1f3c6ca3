// The full-output spool: each entry's output in a file, bounded to its head and tail, saying what was dropped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SpoolFiles } from '../../extension/panel/spoolFiles';

const MiB = 1 << 20;

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-spool-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('SpoolFiles', () => {
  it('keeps a short output whole', async () => {
    const spool = new SpoolFiles(tempDir());
    spool.write('e1', 'stdout', 'a\n');
    spool.write('e1', 'stderr', 'warn\n');
    await spool.end('e1');
    assert.equal(await spool.read('e1'), 'a\nwarn\n');
  });

  it('bounds a huge output to its head and tail on disk, with a line that says how much was dropped', async () => {
    const dir = tempDir();
    const spool = new SpoolFiles(dir);
    const block = (i: number) => `${String(i).padStart(6, '0')}${'x'.repeat(1017)}\n`.repeat(64); // 64 KiB
    for (let i = 0; i < 2048; i++) spool.write('big', 'stdout', block(i)); // 128 MiB
    const running = await spool.read('big');
    assert.match(running, /\n… [\d,]+ bytes of output dropped …\n/, 'a run still going shows the marker and its tail so far');
    assert.ok(running.endsWith(block(2047)));
    await spool.end('big');
    const size = fs.statSync(path.join(dir, 'big.log')).size;
    assert.ok(size < 41 * MiB, `the file holds ${(size / MiB).toFixed(1)} MiB of 128 MiB printed`);
    const text = await spool.read('big');
    assert.ok(text.startsWith(block(0)) && text.endsWith(block(2047)), 'the head and the tail are kept');
    const marker = /… ([\d,]+) bytes of output dropped …\n/.exec(text); // the head ends a line: no newline is added before it
    assert.ok(marker, 'a line says how much was dropped');
    assert.equal(text.length - marker[0].length + Number(marker[1].replace(/,/g, '')), 2048 * 64 * 1024, 'kept and dropped add up to what was written');
  });

  it('keeps exactly the head and the tail within its limits, whatever the streams', async () => {
    const spool = new SpoolFiles(tempDir(), { head: 10, tail: 6 });
    for (const text of ['0123', '456789ab', 'cdef', 'ghijklmn']) spool.write('e', 'stdout', text);
    spool.write('e', 'stderr', 'Zz');
    await spool.end('e');
    assert.equal(await spool.read('e'), '0123456789\n… 10 bytes of output dropped …\nklmnZz');
  });
});
