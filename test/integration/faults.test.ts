// The fault suite: each fault against a real container, each ending with "nothing lost" (namespace, output, next run).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PydockError } from '../../extension/api';
import type { AgentProcess, Backend } from '../../extension/engine/launch/backend';
import { connectBackend } from '../../extension/engine/launch/backends';
import { decode } from '../../extension/engine/wire/codec';
import type { LifecycleEvent, Session } from '../../extension/engine/session/session';
import { apiOn } from './apiSupport';
import { copyImage, startLocalDockerd, type TestDockerd } from './daemons';
import { BARE_IMAGE, FULL_IMAGE, TARGETS, docker, newSession, requireImages, testLog } from './helpers';

before(requireImages);

const DOCKER_FULL = TARGETS[0];

/** The session's namespace survived: a name defined before the fault still holds its value. */
async function namespaceSurvived(session: Session, name = 'kept', expected: unknown = 41): Promise<void> {
  const outcome = await session.eval(name);
  assert.ok(outcome.ok, `the namespace is gone: ${outcome.ok ? '' : outcome.error.text}`);
  assert.equal(outcome.value, expected);
}

/** Prints `count` numbered lines and checks each reached `seen` once, in order. */
async function everyLineOnce(session: Session, count = 200): Promise<void> {
  const seen: string[] = [];
  const outcome = await session.exec(`for i in range(${count}): print(f"line {i}")`, { onStream: (_, text) => seen.push(text) });
  assert.ok(outcome.ok);
  assert.deepEqual(seen.join('').split('\n').filter(Boolean), Array.from({ length: count }, (_, i) => `line ${i}`));
}

/** A Docker backend whose agents' request frames pass through `tamper`, which may change a frame's payload. */
function tamperingBackend(tamper: (type: string, payload: Buffer) => Buffer): () => Promise<Backend> {
  return async () => {
    const docker = await connectBackend({ choice: 'docker', log: testLog });
    return {
      kind: 'docker', sandboxed: true, description: 'docker (tampering)',
      async launch(spec, sinks): Promise<AgentProcess> {
        const agent = await docker.launch(spec, sinks);
        return {
          id: agent.id, exited: agent.exited, kill: () => agent.kill(),
          write(chunks) {
            const payload = Buffer.concat(chunks.slice(1));
            agent.write([chunks[0], tamper((decode(payload) as { type: string }).type, payload)]);
          },
        };
      },
    };
  };
}

/** Where the running agent writes its events: user code can reach it, as a bug in the agent could. */
const AGENT = '[o for o in __import__("gc").get_objects() if type(o).__name__ == "Agent"][0]';

describe('faults: malformed messages', () => {
  it('an event the agent sends malformed rejects its run, naming what was wrong; the session goes on', async () => {
    const session = newSession(DOCKER_FULL, { env: {} }); // an agent checking its events would end itself on this one
    await session.exec('kept = 41');
    const outcome = session.exec(`agent = ${AGENT}\nagent.send({"type": "result", "id": agent.current_id, "pyType": "int", "repr": "", "value": 1})`);
    await assert.rejects(outcome, (e: unknown) => e instanceof PydockError && e.code === 'protocol'
      && /malformed "result" event: it lacks durationMs/.test(e.message) && /session and its variables are intact/.test(e.hint));
    await namespaceSurvived(session);
    await everyLineOnce(session);
  });

  it('a request the agent cannot read is not left pending: what had not started is cancelled with the cause', async () => {
    let corruptNextEval = false;
    const backend = tamperingBackend((type, payload) => {
      if (!corruptNextEval || type !== 'eval') return payload;
      corruptNextEval = false;
      return Buffer.alloc(payload.length, 0xc1); // not MessagePack: the agent cannot even read its id
    });
    const session = newSession(DOCKER_FULL, {}, backend);
    await session.exec('kept = 41');
    corruptNextEval = true;
    const lost = session.eval('kept + 1');
    await assert.rejects(lost, (e: unknown) => e instanceof PydockError && e.code === 'protocol'
      && /could not read a request sent to it/.test(e.message) && /runs not yet started were cancelled/.test(e.hint));
    await namespaceSurvived(session);
    await everyLineOnce(session);
  });
});

describe('faults: messages over the size limit, and a stream out of step', () => {
  it('a result over 1 GiB (and one of 4 GiB, past what a frame header holds) fails that run alone, saying what to do', async () => {
    const session = newSession(DOCKER_FULL, { memoryBytes: 7 * 2 ** 30 });
    await session.exec('kept = 41');
    for (const expr of ["b'x' * (1536 * 1024**2)", "b'x' * (4 * 1024**3 + 1)"]) {
      const outcome = await session.eval(expr);
      assert.ok(!outcome.ok, 'the run fails');
      assert.equal(outcome.error.type, 'MessageTooLarge');
      assert.match(outcome.error.message, /(The reply|A value) of \d\.\d GiB is over the 1 GiB one message may carry\. Keep the object in Python and work on it through a handle/);
      await namespaceSurvived(session);
    }
    await everyLineOnce(session);
  });

  it('a define over 1 GiB is refused before anything is sent', async () => {
    const sent: string[] = [];
    const session = newSession(DOCKER_FULL, {}, tamperingBackend((type, payload) => { sent.push(type); return payload; }));
    await session.exec('kept = 41');
    sent.length = 0;
    await assert.rejects(session.define('big', Buffer.alloc(2 ** 30 + 1)),
      (e: unknown) => e instanceof PydockError && e.code === 'too-large' && /over the 1 GiB one message may carry; nothing was sent/.test(e.message));
    assert.deepEqual(sent.filter((t) => t !== 'ack'), [], 'nothing was written to the agent');
    await namespaceSurvived(session);
  });

  it('bytes written into the event stream out of step are skipped, and what they hid is sent again: nothing lost', async () => {
    const session = newSession(DOCKER_FULL);
    await session.exec('kept = 41');
    const seen: string[] = [];
    const outcome = await session.exec([
      'import os, struct',
      `agent = ${AGENT}`,
      'for i in range(100): print(f"line {i}")',
      'with agent._write_lock: os.write(agent._out, struct.pack(">I", 900 << 20))  # a header announcing 900 MiB',
      'for i in range(100, 200): print(f"line {i}")',
      '"done"',
    ].join('\n'), { onStream: (_, text) => seen.push(text) });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.text);
    assert.equal(outcome.value, 'done');
    assert.deepEqual(seen.join('').split('\n').filter(Boolean), Array.from({ length: 200 }, (_, i) => `line ${i}`));
    await namespaceSurvived(session);
    await everyLineOnce(session);
  });
});

describe('faults: interrupts at any moment', () => {
  it('every run settles, and the stream stays in step, however interrupts fall on the runs', async () => {
    const session = newSession(DOCKER_FULL);
    await session.exec('kept = 41');
    const started = Date.now();
    let interrupted = 0;
    for (let i = 0; Date.now() - started < 20_000; i++) {
      const run = session.exec('import sys\nfor j in range(300): sys.stdout.write(f"{j}\\n")\n{"i": 1}', { onStream: () => undefined });
      const delayMs = Math.random() * 4;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      void session.interrupt(60_000);
      const outcome = await Promise.race([run, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run ${i} did not settle within 10 s`)), 10_000))]);
      if (!outcome.ok) {
        assert.equal(outcome.error.type, 'KeyboardInterrupt', outcome.error.text);
        interrupted++;
      }
      assert.equal(session.state === 'idle' || session.state === 'busy', true, `the session is alive after run ${i}: ${session.state}`);
    }
    assert.ok(interrupted > 0, 'some runs were interrupted');
    await namespaceSurvived(session);
    await everyLineOnce(session);
  });
});

describe('faults: the container is killed or removed mid-run', () => {
  for (const [how, command] of [['SIGKILL (docker kill --signal KILL)', ['kill', '--signal', 'KILL']], ['docker rm -f', ['rm', '-f']]] as const) {
    it(`${how}: every pending call fails within 1 s with the cause; the output before it arrived once; the next run works`, async () => {
      const session = newSession(DOCKER_FULL);
      const seen: string[] = [];
      const running = session.exec('import time\nfor i in range(10):\n    print(f"line {i}", flush=True)\nprint("ready", flush=True)\ntime.sleep(60)',
        { onStream: (_, text) => seen.push(text) });
      const queued = session.eval('2');
      while (!seen.join('').includes('ready')) await new Promise((resolve) => setTimeout(resolve, 10));
      const killedAt = Date.now();
      docker(...command, /container ([0-9a-f]{12})/.exec(session.description)![1]);
      const [first, second] = await Promise.all([running.then(() => undefined, (e: unknown) => e), queued.then(() => undefined, (e: unknown) => e)]);
      assert.ok(Date.now() - killedAt < 1000, `rejected after ${Date.now() - killedAt} ms`);
      for (const failure of [first, second]) {
        assert.ok(failure instanceof PydockError, `expected a PydockError, got ${failure}`);
        assert.match(failure.message, how.startsWith('SIGKILL') ? /killed \(SIGKILL\)|killed by SIGKILL/ : /removed from outside/);
      }
      assert.deepEqual(printed(seen), [...Array.from({ length: 10 }, (_, i) => `line ${i}`), 'ready']);
      await everyLineOnce(session);
    });
  }
});

describe('faults: hostile output and values', () => {
  it('100 MB printed, with binary garbage on fd 1 from C and from a subprocess: every line once and in order', async () => {
    const session = newSession(DOCKER_FULL);
    await session.exec('kept = 41');
    const chunks: string[] = [];
    const outcome = await session.exec([
      'import ctypes, os, subprocess',
      'libc = ctypes.CDLL(None)',
      'for i in range(1_000_000):',
      '    print(f"{i:09d}" + "y" * 90)',
      '    if i % 100_000 == 0:',
      '        garbage = bytes(range(256)) + b"\\x00\\x00\\x10\\x00\\x81\\xa4type\\n"',
      '        libc.write(1, garbage, len(garbage))',
      '        subprocess.run(["python3", "-c", "import os; os.write(1, bytes(range(255, -1, -1)) + b\'\\\\n\')"])',
      '"end"',
    ].join('\n'), { onStream: (_, text) => chunks.push(text) });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.text);
    assert.equal(outcome.value, 'end');
    const lines = chunks.join('').split('\n').filter((line) => /^\d{9}y{90}$/.test(line));
    assert.equal(lines.length, 1_000_000, 'every printed line arrived');
    assert.ok(lines.every((line, i) => line.startsWith(String(i).padStart(9, '0'))), 'once each, in order');
    await namespaceSurvived(session);
  });

  it('values that cannot cross fail their own call, naming what and where; the session goes on', async () => {
    const api = apiOn(FULL_IMAGE);
    const s = api.session({ name: 'unserialisable' });
    await s.exec('kept = 41\nimport socket, threading');
    await assert.rejects(s.eval('{"x": [1, socket.socket()]}'), (e: unknown) => e instanceof PydockError && /Unmarshallable: result\['x'\]\[1\]: socket\.socket/.test(e.message));
    await assert.rejects(s.eval('threading.Lock()'), /Unmarshallable/);
    await assert.rejects(s.define('f', (() => 1) as never), (e: unknown) => e instanceof PydockError && e.code === 'unmarshallable' && /f: function cannot be sent to Python/.test(e.message));
    assert.equal(await s.eval('kept + 1'), 42);
  });
});

describe('faults: a listener that throws', () => {
  it('fails only its own run, after the run finished; the session, its namespace and its output go on', async () => {
    const api = apiOn(FULL_IMAGE);
    const s = api.session({ name: 'throwing-listener' });
    await s.exec('kept = 41');
    const thrown = new Error('listener bug');
    const failure = await s.exec('print("hi"); ran = True', { onOutput: () => { throw thrown; } }).then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof PydockError, `expected a PydockError, got ${failure}`);
    assert.equal(failure.code, 'callback');
    assert.match(failure.message, /threw: listener bug\. The run itself finished; the session and its variables are intact/);
    assert.equal(failure.cause, thrown);
    assert.equal(await s.eval('ran'), true, 'the run went on to its end');
    assert.equal(await s.eval('kept + 1'), 42, 'the namespace survived');
    await assert.rejects(s.eval('1', { onTrace: () => { throw thrown; } }), (e) => e === thrown, 'an onTrace that throws reaches its caller');
    assert.equal(await s.eval('kept'), 41);
  });

  it('in a session listener, is logged; the other listeners, the run and the output go on', async () => {
    const session = newSession(DOCKER_FULL);
    await session.exec('kept = 41');
    const heard: string[] = [];
    session.onDidOutput(() => { throw new Error('panel bug'); });
    session.onDidOutput((event) => { if ('text' in event) heard.push(event.text); });
    session.onDidChangeState(() => { throw new Error('status bar bug'); });
    await everyLineOnce(session);
    assert.match(heard.join(''), /line 0\n[^]*line 199\n/);
    await namespaceSurvived(session);
  });
});

/** A session on a dockerd of the test's own, whose heartbeat notices a silent daemon within about a second. */
async function sessionOn(daemon: TestDockerd): Promise<{ session: Session; output: Map<number, string[]>; lifecycle: LifecycleEvent[] }> {
  const backend = await connectBackend({ choice: 'docker', env: { DOCKER_HOST: daemon.socketUrl }, log: testLog });
  const session = newSession({ name: 'second dockerd', backend: 'docker', image: BARE_IMAGE }, {}, async () => backend, { heartbeatMs: 300 });
  const output = new Map<number, string[]>();
  const lifecycle: LifecycleEvent[] = [];
  session.onDidOutput((event) => { if (event.id !== null && 'text' in event) output.set(event.id, [...output.get(event.id) ?? [], event.text]); });
  session.onDidLifecycle((event) => lifecycle.push(event));
  await session.exec('kept = 41');
  return { session, output, lifecycle };
}

const PRINTING = 'import time\nfor i in range(60):\n    print(f"line {i}", flush=True)\n    time.sleep(0.05)';
const printed = (texts: string[] | undefined) => (texts ?? []).join('').split('\n').filter(Boolean);

/** Starts a run that prints for 3 s, returns it (rejecting) and its id once its first lines have arrived. */
async function printingRun(session: Session, output: Map<number, string[]>): Promise<{ run: Promise<unknown>; id: number }> {
  const run = session.exec(PRINTING, { onStream: () => undefined });
  const settled = run.then(() => undefined, (e: unknown) => e);
  while (![...output.values()].some((texts) => printed(texts).length >= 5)) await new Promise((resolve) => setTimeout(resolve, 20));
  return { run: settled, id: [...output.keys()].at(-1)! };
}

describe('faults: the Docker daemon stops answering, then comes back', () => {
  let daemon: TestDockerd;
  before(async () => {
    daemon = await startLocalDockerd({ liveRestore: true });
    await copyImage(BARE_IMAGE, ['docker', '-H', daemon.socketUrl, 'load']);
  });
  after(() => daemon?.stop());

  for (const [how, stop, start] of [
    ['frozen (SIGSTOP), then woken', () => daemon.signal('SIGSTOP'), () => daemon.signal('SIGCONT')],
    ['stopped, with live-restore, then started again', () => daemon.shutDown(), () => daemon.restart()],
  ] as const) {
    it(`${how}: what is pending fails within seconds, naming the daemon; the next run reattaches, and nothing is lost`, async () => {
      const { session, output, lifecycle } = await sessionOn(daemon);
      const { run, id } = await printingRun(session, output);
      const stoppedAt = Date.now();
      await stop();
      const failure = await run;
      const tookMs = Date.now() - stoppedAt;
      assert.ok(failure instanceof PydockError && failure.code === 'connection-lost', `expected connection-lost, got ${failure}`);
      assert.match(failure.message, new RegExp(`the Docker daemon at ${daemon.socketUrl} stopped answering`));
      assert.match(failure.hint, /the next run reattaches to the container if it still runs/);
      assert.ok(tookMs < 8000, `reported after ${tookMs} ms`);
      await start();
      await namespaceSurvived(session);
      assert.deepEqual(lifecycle.filter((e) => e.kind === 'reattached').map((e) => e.kind === 'reattached' && e.after), ['connection-lost']);
      assert.deepEqual(printed(output.get(id)), Array.from({ length: 60 }, (_, i) => `line ${i}`), 'every line of the run, once, in order');
      await everyLineOnce(session);
    });
  }
});

describe('faults: the Docker daemon restarts without live-restore', () => {
  let daemon: TestDockerd;
  before(async () => {
    daemon = await startLocalDockerd({ liveRestore: false });
    await copyImage(BARE_IMAGE, ['docker', '-H', daemon.socketUrl, 'load']);
  });
  after(() => daemon?.stop());

  it('fails what is pending; the next run starts a fresh session and says the old one is gone', async () => {
    const { session, output, lifecycle } = await sessionOn(daemon);
    const { run } = await printingRun(session, output);
    await daemon.shutDown();
    const failure = await run;
    // Shutting down, dockerd stops its containers: the run ends with the daemon's SIGTERM, or with the daemon's silence.
    assert.ok(failure instanceof PydockError, `expected a PydockError, got ${failure}`);
    assert.ok(failure.code === 'connection-lost' || (failure.code === 'exited' && /code 143/.test(failure.message)), failure.describe());
    await daemon.restart();
    const after = await session.eval('"kept" in dir()');
    assert.ok(after.ok);
    assert.equal(after.value, false, 'a fresh session');
    if (failure.code === 'connection-lost') {
      assert.ok(lifecycle.some((e) => e.kind === 'fresh-after-loss'), `a fresh-after-loss event; got ${lifecycle.map((e) => e.kind)}`);
    } else {
      assert.match(failure.hint, /The next run starts a fresh session/);
    }
    await everyLineOnce(session);
  });
});
