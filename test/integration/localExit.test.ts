// The local backend against a real python3: what the agent writes right before it exits still arrives.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { newSession, tempWorkspace } from './helpers';

const LOCAL = { name: 'local python3', backend: 'local' as const, image: '' };

/**
 * Code that makes the agent exit the moment it has written its next events, so this run's result is its last word.
 * The socket Node gave the agent as stdout is made to buffer all of it, so the agent is gone while the extension has
 * megabytes left to read (Node reads 2 MiB per turn of its loop, and hears of an exit at the end of a turn). Without
 * root the buffer stays small and the loss is rarely seen.
 */
const EXIT_AFTER_RESULT = [
  'import os, socket, pydock_agent.server as server',
  'write = server._write_all',
  'def write_then_exit(fd, parts):',
  '    out = socket.socket(fileno=os.dup(fd))',
  '    try:',
  '        out.setsockopt(socket.SOL_SOCKET, 32, 256 << 20)  # SO_SNDBUFFORCE: needs root',
  '    except OSError:',
  '        out.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 256 << 20)  # as much as the system allows',
  '    write(fd, parts)',
  '    os._exit(0)',
  'server._write_all = write_then_exit',
].join('\n');

describe('local backend', () => {
  it('delivers a result written just before the agent exits', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const session = newSession(LOCAL);
      const outcome = await session.exec(`${EXIT_AFTER_RESULT}\nb"x" * (32 << 20)`);
      assert.ok(outcome.ok && outcome.value instanceof Uint8Array, `attempt ${attempt}: the result arrived`);
      assert.equal(outcome.value.length, 32 << 20);
      await session.dispose();
    }
  });

  it('reports the agent\'s death while a child it forked holds its stdout open', async () => {
    const workspace = tempWorkspace();
    const session = newSession(LOCAL, { workspace });
    await session.start();
    const started = performance.now();
    const forkThenExit = 'import os, time\nchild = os.fork()\nif child == 0:\n    time.sleep(30)\n    os._exit(0)\n'
      + 'open("child.pid", "w").write(str(child))\nos._exit(3)';
    try {
      await assert.rejects(session.exec(forkThenExit), /exited with code 3/);
    } finally {
      process.kill(Number(fs.readFileSync(path.join(workspace, 'child.pid'), 'utf8')), 'SIGKILL');
    }
    const waited = performance.now() - started;
    assert.ok(waited < 5000, `the run failed ${waited.toFixed(0)} ms after the agent exited`);
  });
});
