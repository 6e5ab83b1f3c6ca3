// Memory stays bounded against a real container: output no listener takes, objects kept for handles, stream events.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { PydockError } from '../../extension/api';
import { FULL_IMAGE, requireImages } from './helpers';
import { apiOn } from './apiSupport';

before(requireImages);

const MiB = 1 << 20;

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Memory this process holds live: V8's heap and the buffers outside it, after a garbage collection. */
function liveBytes(): number {
  collectGarbage();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/**
 * The most memory held live while `work` runs, sampled every 50 ms. Garbage does not count (V8 collects it when it
 * likes, so the RSS peak says little); what a run keeps does.
 */
async function peakLive<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = liveBytes();
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, liveBytes()); }, 50);
  try {
    const result = await work();
    return { result, growth: Math.max(peak, liveBytes()) - baseline };
  } finally {
    clearInterval(sampler);
  }
}

describe('memory bounds', () => {
  const api = apiOn(FULL_IMAGE);
  const session = api.session({ name: 'memory-bounds' });

  it('keeps the head and the tail of 200 MiB printed without onStream: host memory stays bounded, the outcome says what was dropped', async () => {
    const print = (mib: number) => `import sys\nprint("first line")\nfor _ in range(${mib}):\n    sys.stdout.write(("x" * 1023 + "\\n") * 1024)\nprint("last line")`;
    await session.engine.exec(print(4)); // the session and the decoder warmed up
    const { result: outcome, growth } = await peakLive(() => session.engine.exec(print(200)));
    const printed = 200 * MiB + 'first line\n'.length + 'last line\n'.length;
    assert.ok(outcome.ok);
    assert.ok(outcome.stdout.length < 5 * MiB, `the outcome keeps a bounded stdout: ${outcome.stdout.length} characters of ${printed}`);
    assert.ok(outcome.stdout.startsWith('first line\nxxx') && outcome.stdout.endsWith('x\nlast line\n'), 'the head and the tail are kept');
    assert.ok(outcome.dropped && outcome.dropped.stdoutBytes > 190 * MiB, `the outcome says how much was dropped: ${JSON.stringify(outcome.dropped)}`);
    const marker = new RegExp(`\\n?… ${outcome.dropped.stdoutBytes.toLocaleString('en-US')} bytes of output dropped …\\n`).exec(outcome.stdout);
    assert.ok(marker, 'a line in stdout says how much was dropped, where');
    assert.equal(outcome.stdout.length - marker[0].length + outcome.dropped.stdoutBytes, printed, 'kept and dropped add up to what was printed');
    assert.ok(growth < 32 * MiB, `the host held ${(growth / MiB).toFixed(0)} MiB more while 200 MiB were printed`);
  });

  it('lets go of the least recently used objects only handles keep past the budget; using one is the released error', async () => {
    await session.exec('import pydock.handles\npydock.handles._store._objects.max_bytes = 64 << 20'); // 1 GiB by default
    await session.exec('kept_too = bytearray(40 << 20)');
    const variable = await session.ref('kept_too');
    const first = await session.ref('bytearray(40 << 20)');
    const second = await session.ref('bytearray(40 << 20)'); // 120 MiB kept, 80 of them by handles alone: first goes
    const evicted = (e: unknown) => {
      assert.ok(e instanceof PydockError && e.code === 'released', `expected a 'released' error, got ${e}`);
      assert.match(e.message, new RegExp(`^object handle ${first.ref} was released: the objects kept for handles came to over 64 MiB, `));
      assert.match(e.message, /Release handles you no longer need, or keep the object in a Python variable as well/);
      return true;
    };
    await assert.rejects(first.call('__len__'), evicted);
    await assert.rejects(session.call('len', [first]), evicted, 'also as an argument');
    assert.equal(await second.call('__len__'), 40 << 20);
    assert.equal(await variable.call('__len__'), 40 << 20, 'an object a variable holds is never let go: that would free nothing');
    assert.equal(await session.eval('len(pydock.handles._store)'), 2);
  });

  it('sends output in stream events of at most 4 MiB, however fast code prints', async () => {
    let biggest = 0;
    let total = 0;
    await session.engine.exec('import os\nblock = b"x" * (1 << 20)\nfor _ in range(100):\n    os.write(1, block)', {
      onStream: (_, text) => { biggest = Math.max(biggest, text.length); total += text.length; },
    });
    assert.equal(total, 100 * MiB);
    assert.ok(biggest <= 4 * MiB, `the biggest event held ${(biggest / MiB).toFixed(1)} MiB`);
  });
});
