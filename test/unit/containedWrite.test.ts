// Sync-back containment: archive member names, and writes that never leave the folder or follow a symlink.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { memberPath, readInside, Refused, writeInside } from '../../extension/engine/docker/containedWrite';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-contained-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('memberPath', () => {
  it('gives the path below the folder Docker named the archive after', () => {
    assert.equal(memberPath('workspace/a/b.py', '/workspace'), 'a/b.py');
    assert.equal(memberPath('workspace/', '/workspace'), '');
    assert.equal(memberPath('io/x', '/io'), 'x');
  });

  for (const [name, why] of [
    ['workspace/../../etc/cron.d/x', /"\." or "\.\." component/],
    ['workspace/a/../../b', /"\." or "\.\." component/],
    ['/etc/passwd', /absolute/],
    ['/workspace/a.py', /absolute/],
    ['other/a.py', /not inside workspace\//],
    ['../a.py', /not inside workspace\//],
    ['workspace\\..\\a.py', /Windows/],
  ] as const) {
    it(`refuses ${name}`, () => assert.throws(() => memberPath(name, '/workspace'), (e: unknown) => e instanceof Refused && why.test(e.message)));
  }
});

describe('writeInside', () => {
  it('writes below the root, making folders', () => {
    const root = tempDir();
    writeInside(root, 'out/deep/result.txt', Buffer.from('ok'), 0o644);
    assert.equal(fs.readFileSync(path.join(root, 'out', 'deep', 'result.txt'), 'utf8'), 'ok');
    assert.equal(readInside(root, 'out/deep/result.txt')?.toString(), 'ok');
    assert.equal(readInside(root, 'missing/result.txt'), undefined);
  });

  it('never writes through a symlinked folder, and leaves its target alone', () => {
    const root = tempDir();
    const outside = tempDir();
    fs.symlinkSync(outside, path.join(root, 'link'));
    assert.throws(() => writeInside(root, 'link/evil.txt', Buffer.from('x'), 0o644), (e: unknown) => e instanceof Refused && /link is a symbolic link/.test(e.message));
    assert.throws(() => readInside(root, 'link/evil.txt'), Refused);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('never writes through a symlinked file', () => {
    const root = tempDir();
    const target = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(target, 'secret');
    fs.symlinkSync(target, path.join(root, 'notes.txt'));
    assert.throws(() => writeInside(root, 'notes.txt', Buffer.from('x'), 0o644), (e: unknown) => e instanceof Refused && /notes.txt is a symbolic link/.test(e.message));
    assert.equal(fs.readFileSync(target, 'utf8'), 'secret');
  });

  it('follows a symlinked root to its real folder', () => {
    const real = tempDir();
    const alias = path.join(tempDir(), 'alias');
    fs.symlinkSync(real, alias);
    writeInside(alias, 'a.txt', Buffer.from('a'), 0o644);
    assert.equal(fs.readFileSync(path.join(real, 'a.txt'), 'utf8'), 'a');
  });
});
