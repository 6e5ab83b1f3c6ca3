// The session engine against real backends: running code, streaming, errors, interrupts, crashes and big output.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import type { RunOutcome, RunSuccess } from '../../extension/engine/session/session';
import { TARGETS, newSession, requireImages } from './helpers';

function ok(outcome: RunOutcome): RunSuccess {
  if (!outcome.ok) assert.fail(`expected success, got ${outcome.error.text}`);
  return outcome;
}

before(requireImages);

for (const target of TARGETS) {
  describe(`session on ${target.name}`, () => {
    const session = newSession(target);

    it('evaluates an expression and reports the agent', async () => {
      const outcome = ok(await session.eval('6 * 7'));
      assert.deepEqual([outcome.value, outcome.pyType], [42, 'int']);
      assert.equal(session.state, 'idle');
      assert.match(session.info!.python, /^3\.\d+/);
      assert.equal(session.info!.modules.msgpack, target.image.endsWith(':full'));
    });

    it('execs statements and returns the trailing expression, as a REPL does', async () => {
      const outcome = ok(await session.exec('xs = [1, 2, 3]\ntotal = sum(xs)\ntotal * 2', { mode: 'repl' }));
      assert.deepEqual([outcome.value, outcome.repr], [12, '12']);
      assert.equal(ok(await session.eval('total')).value, 6, 'the namespace persists');
      const quiet = ok(await session.exec('y = 5', { mode: 'repl' }));
      assert.equal(quiet.repr, '', 'statements alone have no result');
    });

    it('streams output in order while the code runs, before the result', async () => {
      const seen: string[] = [];
      let resultArrived = false;
      const running = session.exec('import time\nfor i in range(3):\n    print(f"line {i}", flush=True)\n    time.sleep(0.2)\n"done"', {
        onStream: (name, text) => {
          assert.equal(resultArrived, false, 'output after the result');
          seen.push(...text.split('\n').filter(Boolean).map((l) => `${name}:${l}`));
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.ok(seen.length >= 1 && seen.length < 3, `expected the first line while the loop sleeps, saw ${JSON.stringify(seen)}`);
      const outcome = ok(await running);
      resultArrived = true;
      assert.deepEqual(seen, ['stdout:line 0', 'stdout:line 1', 'stdout:line 2']);
      assert.equal(outcome.value, 'done');
    });

    it('reports an error with type, message and the file and line numbers of the user code', async () => {
      const outcome = await session.exec('a = 1\n\ndef fail():\n    return {}["missing"]\n\nfail()', { file: '/home/u/analysis.py', line: 10 });
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.error.type, 'KeyError');
      assert.equal(outcome.error.message, "'missing'");
      assert.deepEqual(outcome.error.frames.map((f) => [f.file, f.line, f.name]), [['/home/u/analysis.py', 15, '<module>'], ['/home/u/analysis.py', 13, 'fail']]);
      assert.match(outcome.error.text, /File "\/home\/u\/analysis.py", line 13, in fail\n\s+return \{\}\["missing"\]/);
      assert.doesNotMatch(outcome.error.text, /pydock_agent/);
      assert.equal(ok(await session.eval('a')).value, 1, 'the session survives a Python error');
    });

    it('captures print, fd writes, C-level writes, subprocesses and binary garbage without corrupting the protocol', async () => {
      const code = [
        'import os, subprocess, sys, ctypes',
        'print("from print")',
        'os.write(1, b"from fd 1\\n")',
        'os.write(2, b"from fd 2\\n")',
        'ctypes.CDLL(None).write(1, b"from C\\n", 7)',
        'subprocess.run(["python3", "-c", "print(\'from a subprocess\')"])',
        'os.write(1, bytes(range(256)) + b"\\n")',
        'sys.stdout.buffer.write(b"\\x00\\x00\\x00\\x10garbage that looks like a frame header\\n")',
        '"still fine"',
      ].join('\n');
      const outcome = ok(await session.exec(code));
      for (const line of ['from print', 'from fd 1', 'from C', 'from a subprocess', 'garbage that looks like a frame header']) {
        assert.ok(outcome.stdout.includes(line), `stdout should contain "${line}"; it was ${JSON.stringify(outcome.stdout.slice(0, 500))}`);
      }
      assert.ok(outcome.stdout.includes('\ufffd'), 'undecodable bytes show as replacement characters');
      assert.equal(outcome.stderr, 'from fd 2\n');
      assert.equal(outcome.value, 'still fine');
      assert.equal(ok(await session.eval('1 + 1')).value, 2, 'the protocol is intact afterwards');
    });

    it('keeps a child that user code forked off the protocol: its output arrives, its return does not', async () => {
      const code = [
        'import os',
        'pid = os.fork()',
        'if pid == 0:',
        '    print("from the child", flush=True)',
        'else:',
        '    os.waitpid(pid, 0)',
        '    print("parent waited")',
        '"child" if pid == 0 else "parent"',
      ].join('\n');
      const outcome = ok(await session.exec(code));
      assert.equal(outcome.value, 'parent', 'the result is the agent\'s, not the child\'s');
      assert.match(outcome.stdout, /from the child\n[\s\S]*parent waited/);
      assert.equal(ok(await session.eval('40 + 2')).value, 42, 'the protocol is intact afterwards');
    });

    it('carries 50 MB of printed output completely and in order', async () => {
      const chunks: string[] = []; // onStream: an outcome keeps only the head and the tail of so much
      const outcome = ok(await session.exec('for i in range(500_000):\n    print(f"{i:09d}" + "y" * 90)\n"end"',
        { onStream: (_, text) => chunks.push(text) }));
      const stdout = chunks.join('');
      assert.equal(stdout.length, 500_000 * 100);
      const lines = stdout.split('\n');
      assert.equal(lines[0], `000000000${'y'.repeat(90)}`);
      assert.equal(lines[499_999], `000499999${'y'.repeat(90)}`);
      for (const i of [1, 77_777, 250_000, 499_998]) assert.ok(lines[i].startsWith(String(i).padStart(9, '0')), `line ${i} in place`);
      assert.equal(outcome.value, 'end');
    });

    it('interrupts a busy loop with KeyboardInterrupt within a second', async () => {
      const running = session.exec('n = 0\nwhile True:\n    n += 1');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      assert.equal(await session.interrupt(), 'interrupted');
      assert.ok(Date.now() - started < 1000);
      const outcome = await running;
      assert.equal(outcome.ok ? 'ok' : outcome.error.type, 'KeyboardInterrupt');
      assert.ok((ok(await session.eval('n')).value as number) > 0, 'the namespace keeps what the loop did');
    });

    it('interrupts a sleep, and cancels what was queued behind it', async () => {
      const sleeping = session.exec('import time; time.sleep(30)');
      const queued = session.exec('queued_ran = True');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await session.interrupt(), 'interrupted');
      const [first, second] = await Promise.all([sleeping, queued]);
      assert.deepEqual([first.ok, second.ok], [false, false]);
      assert.equal(ok(await session.exec('"queued_ran" in dir()')).value, false, 'the queued run never started');
    });

    it('says "ignored" when the code ignores SIGINT, and a restart recovers', async () => {
      const running = session.exec('import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await session.interrupt(300), 'ignored');
      const rejected = assert.rejects(running, (e: unknown) => e instanceof PydockError && e.code === 'stopped');
      await session.restart();
      await rejected;
      assert.equal(ok(await session.exec('"n" in dir()')).value, false, 'a restart gives a fresh namespace');
      assert.equal(session.state, 'idle');
    });

    it('times out a runaway run, interrupts it and keeps the session', async () => {
      await assert.rejects(session.exec('import time; time.sleep(20)', { timeoutMs: 300 }), (e: unknown) => e instanceof PydockError && e.code === 'timeout');
      assert.equal(ok(await session.eval('2 + 2')).value, 4);
    });

    it('cancels with an AbortSignal', async () => {
      const controller = new AbortController();
      const running = session.exec('import time; time.sleep(20)', { signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      await assert.rejects(running, /cancelled|abort/i);
      assert.equal(ok(await session.eval('3')).value, 3);
    });

    it('turns dead when the agent exits, rejects everything pending at once, and the next run starts afresh', async () => {
      await session.exec('marker = 1');
      const dying = session.exec('import os; os._exit(3)');
      const queued = session.eval('1');
      await assert.rejects(dying, (e: unknown) => e instanceof PydockError && e.code === 'exited' && /code 3/.test(e.message));
      await assert.rejects(queued, (e: unknown) => e instanceof PydockError && e.code === 'exited');
      assert.equal(session.state, 'dead');
      assert.match(session.deathCause!.message, /exited with code 3/);
      assert.equal(ok(await session.exec('"marker" in dir()')).value, false, 'a fresh session');
    });

    it('runs with the workspace as the working directory', async () => {
      const cwd = ok(await session.eval('__import__("os").getcwd()')).value;
      assert.equal(cwd, target.backend === 'local' ? session.info!.cwd : '/workspace');
    });
  });
}
