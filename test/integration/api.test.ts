// py() as Haxall defines it, against real containers: one request per eval, init once, timeouts, lifetimes, order.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PydockError, PythonError, gather, type Value } from '../../extension/api';
import { FULL_IMAGE, requireImages } from './helpers';
import { IMAGES, apiOn, containersLabelled, recordingBackend } from './apiSupport';

before(requireImages);

const isPydockError = (code: string, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PydockError, `expected a PydockError, got ${e}`);
  assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message, message);
  return true;
};

describe('py(): one-off sessions', () => {
  it('sends the defines, execs and eval as one request, traces it, and removes the container after', async () => {
    const { backend, written } = recordingBackend();
    const api = apiOn(FULL_IMAGE, { backend });
    const { value, trace } = await api.py().timeout(10_000).define('a', 100).define('b', 2)
      .exec('def mult(x, y): return x * y').evalWithTrace('mult(a, b)');
    assert.equal(value, 200);
    assert.deepEqual(written.map((w) => w.type), ['batch', 'shutdown'], 'one request, then the stop');
    assert.deepEqual([trace.request, trace.steps], ['batch', 4]);
    assert.equal(trace.bytesSent, written[0].bytes, 'the trace counts the bytes written for that request');
    assert.ok(trace.bytesReceived > 0, 'and the bytes of its result');
    assert.ok(trace.queuedAt <= trace.sentAt && trace.sentAt <= trace.startedAt! && trace.startedAt! <= trace.finishedAt,
      `timings in order: ${JSON.stringify(trace)}`);
    assert.ok(trace.runMs >= 0 && trace.runMs < trace.finishedAt - trace.sentAt);
    assert.deepEqual(containersLabelled(trace.session), [], 'no container is left, running or stopped');
  });

  it('removes the container when Python raises too, and the error carries the traceback and the trace', async () => {
    const api = apiOn(FULL_IMAGE);
    const error = await api.py().exec('def fail():\n    return 1 / 0').eval('fail()').then(() => assert.fail('expected a PythonError'), (e) => e);
    assert.ok(error instanceof PythonError);
    assert.equal(error.type, 'ZeroDivisionError');
    assert.match(error.detail, /line 2, in fail/);
    assert.deepEqual(containersLabelled(error.trace!.session), []);
  });

  it('starts afresh for each eval: nothing carries over', async () => {
    const builder = apiOn(FULL_IMAGE).py().define('x', 1);
    assert.equal(await builder.eval('x'), 1);
    assert.equal(await builder.eval('"x" in dir()'), false, 'the defines went with the first eval, in a session since closed');
  });
});

describe('py({ name }): persistent sessions', () => {
  const api = apiOn(FULL_IMAGE);

  it('is the same session each time, and runs init once', async () => {
    let inits = 0;
    const init = (session: { exec(code: string): Promise<Value> }) => {
      inits++;
      return session.exec('init_runs = globals().get("init_runs", 0) + 1\ndef sq(x): return x * x');
    };
    const results: Value[] = [];
    for (let i = 0; i < 3; i++) results.push(await api.py({ name: 'persistent' }).init(init).define('v', i + 2).eval('[sq(v), init_runs]'));
    assert.deepEqual(results, [[4, 1], [9, 1], [16, 1]]);
    assert.equal(inits, 1, 'init ran once');
    assert.equal(api.session({ name: 'persistent' }), api.session({ name: 'persistent' }));
    assert.equal(containersLabelled('persistent').length, 1, 'one container serves them all');
  });

  it('runs init again on the new Python process after a crash', async () => {
    let inits = 0;
    const builder = () => api.py({ name: 'crashing' }).init((s) => { inits++; return s.exec('ready = True'); });
    assert.equal(await builder().eval('ready'), true);
    await assert.rejects(api.session({ name: 'crashing' }).exec('import os; os._exit(3)'), isPydockError('exited', /code 3/));
    assert.equal(await builder().eval('ready'), true, 'init prepared the new process');
    assert.equal(inits, 2);
  });

  it('an init that fails fails the eval with its error, and is tried again next time', async () => {
    let attempts = 0;
    const builder = () => api.py({ name: 'bad-init' }).init((s) => s.exec(attempts++ === 0 ? 'raise ValueError("not yet")' : 'ok = 1'));
    await assert.rejects(builder().eval('ok'), (e: unknown) => e instanceof PythonError && e.message === 'ValueError: not yet');
    assert.equal(await builder().eval('ok'), 1);
  });

  it('interrupts an eval that runs over its timeout, and the session keeps its namespace', async () => {
    await api.session({ name: 'timeouts' }).define('kept', 'still here');
    const started = Date.now();
    await assert.rejects(api.py({ name: 'timeouts' }).timeout(300).eval('[0 for _ in iter(int, 1)]'), isPydockError('timeout', /300 ms/));
    assert.ok(Date.now() - started < 5000, 'the timeout came in time');
    assert.equal(await api.py({ name: 'timeouts' }).eval('kept'), 'still here');
  });

  it('restarts the session when code that ignores the interrupt runs over its timeout', async () => {
    await api.session({ name: 'stubborn' }).define('lost', 'with the old Python');
    const ignoring = 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass';
    await assert.rejects(api.py({ name: 'stubborn' }).timeout(300).exec(ignoring).eval('None'), isPydockError('timeout', /300 ms/));
    assert.equal(await api.py({ name: 'stubborn' }).timeout(60_000).eval('"lost" in globals()'), false, 'a new Python, free to run');
  });

  it('cancels with an AbortSignal: the running code gets KeyboardInterrupt', async () => {
    const session = api.session({ name: 'abort' });
    await session.exec('import time\ndef nap():\n    global interrupted\n    try:\n        time.sleep(30)\n    except KeyboardInterrupt:\n        interrupted = True\n        raise');
    const controller = new AbortController();
    const running = session.eval('nap()', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(running, /cancelled|abort/i);
    assert.equal(await session.eval('interrupted'), true);
  });

  it('runs the calls of one session in the order they were made, without waiting for each', async () => {
    const session = api.session({ name: 'order' });
    await session.exec('order = []');
    const calls = Array.from({ length: 50 }, (_, i) => session.call('order.append', [i]));
    await gather(...calls);
    assert.deepEqual(await session.eval('order'), Array.from({ length: 50 }, (_, i) => i));
  });

  it('runs different sessions in parallel: one waits for a file the other writes', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-shared-'));
    fs.chmodSync(shared, 0o777);
    after(() => fs.rmSync(shared, { recursive: true, force: true }));
    const mounts = [{ source: shared, target: '/shared' }];
    const waiter = api.session({ name: 'waiter', mounts });
    const writer = api.session({ name: 'writer', mounts });
    await gather(waiter.start(), writer.start());
    const waiting = waiter.exec('import os, time\nwhile not os.path.exists("/shared/flag"):\n    time.sleep(0.01)\n"saw it"', { timeout: 20_000 });
    const [seen] = await gather(waiting, writer.exec('open("/shared/flag", "w").close()'));
    assert.equal(seen, 'saw it');
    assert.ok(fs.existsSync(path.join(shared, 'flag')), 'the mount is the host folder');
  });

  it('applies the network option', async () => {
    const interfaces = await api.py({ network: 'none' }).eval('sorted(__import__("os").listdir("/sys/class/net"))');
    assert.deepEqual(interfaces, ['lo']);
  });

  it('names the type and path of a value that cannot cross, in both directions', async () => {
    const session = api.session({ name: 'crossing' });
    await assert.rejects(session.eval('[0, 1, 2, {"x": __import__("socket").socket()}]'),
      (e: unknown) => e instanceof PythonError && e.type === 'Unmarshallable' && e.message === "Unmarshallable: result[3]['x']: socket.socket");
    class Socket {}
    await assert.rejects(session.define('data', [0, { f: (() => 1) as unknown as Value }]),
      isPydockError('unmarshallable', /^data\[1\]\.f: function cannot be sent to Python$/));
    await assert.rejects(api.py({ name: 'crossing' }).define('rows', [1, new Socket() as unknown as Value]).eval('rows'),
      isPydockError('unmarshallable', /^rows\[1\]: Socket cannot be sent to Python$/));
    await assert.rejects(session.call('len', [[1, Symbol('s') as unknown as Value]]), isPydockError('unmarshallable', /^args\[0\]\[1\]: symbol/));
  });
});

for (const image of IMAGES) {
  it(`imports pydock in every session and its child processes on ${image.name}`, async () => {
    const [file, child] = await apiOn(image.image).py().exec('import os, subprocess, sys\nos.chdir("/tmp")')
      .eval('[__import__("pydock").__file__, subprocess.run([sys.executable, "-c", "import pydock; print(pydock.Marker)"],' +
        ' capture_output=True, text=True).stdout]') as [string, string];
    assert.match(file, /^\/opt\/pydock\/pydock\/__init__\.py$/);
    assert.equal(child, 'Marker\n');
  });
}
