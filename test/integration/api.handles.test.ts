// Calls and remote object handles against a real container: call, get, release, garbage collection, session ends.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Handle, ObjectRef, PydockError, PythonError, type Value } from '../../extension/api';
import { FULL_IMAGE, requireImages } from './helpers';
import { apiOn, recordingBackend } from './apiSupport';

before(requireImages);

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const released = (message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PydockError && e.code === 'released', `expected a 'released' error, got ${e}`);
  assert.match(e.message, message);
  return true;
};

describe('calls and object handles', () => {
  const { backend, written } = recordingBackend();
  const api = apiOn(FULL_IMAGE, { backend });
  const session = api.session({ name: 'handles' });
  const keptCount = () => session.eval('len(__import__("pydock").handles._store)') as Promise<number>;

  it('calls module functions by dotted name, with args and kwargs, importing the module if need be', async () => {
    assert.equal(await session.call('math.hypot', [3, 4]), 5);
    assert.equal(await session.call('os.path.join', ['a', 'b'], {}), 'a/b');
    assert.deepEqual(await session.call('dict', [], { a: 1, b: [2] }), { a: 1, b: [2] });
    assert.equal(await session.call('"-".join', [['x', 'y']]), 'x-y', 'an expression works as a target too');
    await session.exec('def scale(x, factor=2):\n    return x * factor');
    assert.equal(await session.call('scale', [21]), 42);
    assert.equal(await session.call('lambda x, y=1: x - y', [10], { y: 3 }), 7);
    await assert.rejects(session.call('no_such_module_xyz.f'), (e: unknown) => e instanceof PythonError && e.type === 'NameError');
  });

  it('shows the user frames of an error raised in a call, not the agent', async () => {
    const error = await session.call('scale', ['x', {} as Value]).then(() => assert.fail('expected an error'), (e) => e as PythonError);
    assert.equal(error.type, 'TypeError');
    assert.deepEqual(error.info.frames.map((f) => f.name), ['scale']);
    assert.doesNotMatch(error.detail, /pydock_agent/);
  });

  it('keeps an object behind a handle: get, call, value, chained handles, and handles as arguments', async () => {
    const items = await session.ref('[3, 1, 2]');
    assert.ok(items instanceof Handle && items instanceof ObjectRef);
    assert.deepEqual([items.type, items.repr, items.released], ['list', '[3, 1, 2]', false]);
    assert.equal(await items.call('sort'), null);
    assert.deepEqual(await items.value(), [1, 2, 3], 'the method changed the kept object');
    assert.equal(await items.get('__class__').catch((e) => (e as PythonError).type), 'Unmarshallable', 'a class cannot cross, but a handle to it can');
    const cls = await items.getRef('__class__');
    assert.equal(cls.type, 'type');
    assert.equal(await cls.get('__name__'), 'list');
    const copy = await items.callRef('copy');
    assert.equal(await session.call('lambda a, b: [a == b, a is b]', [items, copy]).then((r) => JSON.stringify(r)), '[true,false]',
      'Python receives the kept objects themselves');
    assert.equal(await session.eval(`len(${items.expr})`), 3, 'expr reaches the object from Python code');
    const byCall = await session.callRef('collections.OrderedDict', [], { z: 1 });
    assert.equal(byCall.type, 'collections.OrderedDict');
  });

  it('releases a handle: using it after is a clear error, on both sides', async () => {
    const handle = await session.ref('{"big": "object"}');
    const before = await keptCount();
    await handle.release();
    assert.equal(await keptCount(), before - 1, 'the agent let go of it');
    assert.equal(handle.released, true);
    await assert.rejects(handle.value(), released(new RegExp(`^object handle ${handle.ref} was released$`)));
    await assert.rejects(session.call('len', [handle]), released(/was released/), 'also as an argument');
    await assert.rejects(session.eval(`${handle.expr}`), (e: unknown) => e instanceof PythonError && e.message === `HandleError: object handle ${handle.ref} was released`);
    await handle.release(); // twice does nothing
  });

  it('releases handles that are garbage-collected, in one batch', async () => {
    const baseline = await keptCount();
    await (async () => {
      const handles = await Promise.all(Array.from({ length: 50 }, (_, i) => session.ref(`[${i}]`)));
      assert.equal(await keptCount(), baseline + 50);
      assert.equal(handles.length, 50);
    })();
    const releasesBefore = written.filter((w) => w.type === 'ref.release').length;
    let count = baseline + 50;
    for (let i = 0; i < 100 && count > baseline; i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
      count = await keptCount();
    }
    assert.ok(count <= baseline, `the agent let go of every collected handle: ${count} kept, ${baseline} before`);
    const releases = written.filter((w) => w.type === 'ref.release').length - releasesBefore;
    assert.ok(releases >= 1 && releases <= 5, `50 handles were released in a few batched requests, not ${releases}`);
  });

  it('sends a DataFrame too big for a Grid as an object handle', async () => {
    const ref = await session.eval('__import__("pandas").DataFrame({"a": range(200_000), "b": 1.5})');
    assert.ok(ref instanceof ObjectRef, `expected an ObjectRef, got ${ref?.constructor.name}`);
    assert.equal(ref.type, 'pandas.core.frame.DataFrame');
    const frame = session.handle(ref);
    assert.deepEqual(await frame.get('shape'), [200_000, 2]);
    assert.deepEqual(await frame.call('head', [2]), await session.eval('__import__("pydock").Grid.from_dataframe(__import__("pandas").DataFrame({"a": [0, 1], "b": 1.5}))'));
    assert.equal(await session.eval(`len(${ref.expr})`), 200_000, 'expr reaches it from Python code');
    const table = await session.engine.inspect({ type: 'table.open', expr: ref.expr });
    assert.deepEqual([table.kind, table.totalRows, table.columns.map((c) => c.name)], ['dataframe', 200_000, ['a', 'b']], 'it opens as a table');
    await session.engine.inspect({ type: 'table.release', handle: table.handle });
  });

  it('ends every handle with its session, and the agent refuses refs from an earlier process', async () => {
    const handle = await session.ref('object()');
    const raw = await session.eval('__import__("pandas").DataFrame({"a": range(200_000)})') as ObjectRef;
    await session.engine.restart();
    await assert.rejects(handle.get('__class__'), released(/when its session ended or restarted/));
    await assert.rejects(session.call('len', [raw]), (e: unknown) => e instanceof PythonError && /does not belong to this session/.test(e.message));
    const other = await session.ref('object()');
    await session.close();
    await assert.rejects(other.value(), released(/when its session ended/));
  });
});
