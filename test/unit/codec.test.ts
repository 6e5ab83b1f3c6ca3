// Value codec round trips in TypeScript alone: every marshalling-table type survives encode then decode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnmarshallableError, decode, encode, toWire } from '../../extension/engine/wire/codec';
import { DateTime, Grid, LocalDate, LocalTime, Marker, Matrix, NA, PyObject, Ref, Remove, Uri } from '../../shared/values';

const roundTrip = (value: unknown) => decode(encode(toWire(value)));

describe('codec', () => {
  it('keeps scalars, including the ones msgpack alone would change', () => {
    for (const value of [null, true, false, 0, 1, -1, 2 ** 31, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER, 1.5, 1e300, 'text', 'ünïcode ✓', '']) {
      assert.deepEqual(roundTrip(value), value, String(value));
    }
    assert.ok(Object.is(roundTrip(-0), -0), '-0 stays -0');
    assert.ok(Number.isNaN(roundTrip(NaN) as number));
    assert.equal(roundTrip(Infinity), Infinity);
    assert.equal(roundTrip(-Infinity), -Infinity);
  });

  it('keeps integers beyond 2^53 and beyond 64 bits as bigint', () => {
    for (const value of [2n ** 60n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 200n, -(3n ** 150n)]) assert.equal(roundTrip(value), value);
    assert.equal(roundTrip(5n), 5, 'a small bigint comes back as a number');
  });

  it('sends integers beyond 32 bits as integers, not floats', () => {
    // msgpackr alone writes 2^40 as float64 (0xcb), which Python would read as 1099511627776.0.
    assert.equal(encode(toWire(2 ** 40))[0], 0xd3);
  });

  it('keeps pydock value types', () => {
    assert.equal(roundTrip(Marker), Marker);
    assert.equal(roundTrip(NA), NA);
    assert.equal(roundTrip(Remove), Remove);
    assert.deepEqual(roundTrip(new Ref('p:1', 'Site')), new Ref('p:1', 'Site'));
    assert.deepEqual(roundTrip(new Uri('https://x/y?z')), new Uri('https://x/y?z'));
    assert.deepEqual(roundTrip(new LocalDate('2024-02-29')), new LocalDate('2024-02-29'));
    assert.deepEqual(roundTrip(new LocalTime('23:59:59.999999')), new LocalTime('23:59:59.999999'));
    const dt = new DateTime('2024-03-31T02:30:00.123456+02:00', 'Europe/Berlin');
    assert.deepEqual(roundTrip(dt), dt);
    assert.deepEqual(roundTrip(new PyObject('socket.socket', '<socket>')), new PyObject('socket.socket', '<socket>'));
  });

  it('keeps bytes, Maps with non-string keys and nested structures', () => {
    const bytes = roundTrip(new Uint8Array([0, 255, 7])) as Uint8Array;
    assert.deepEqual([...bytes], [0, 255, 7]);
    const map = new Map<unknown, unknown>([[1, 'one'], [2.5, [true]], ['s', new Map([[null, 1]])]]);
    assert.deepEqual(roundTrip(map), map);
    const nested = { a: [1, { b: 'c', __proto__x: null }], e: {} };
    assert.deepEqual(roundTrip(nested), nested);
  });

  it('keeps grids and matrices', () => {
    const grid = new Grid({ dis: 'g' }, [{ name: 'a', meta: {} }, { name: 'b', meta: { unit: 'kW' } }], [{ a: 1, b: 'x' }, { a: null, b: Marker }]);
    assert.deepEqual(roundTrip(grid), grid);
    const matrix = new Matrix([2, 3], 'float64', new Float64Array([1, 2, 3, 4, 5, 6.5]));
    assert.deepEqual(roundTrip(matrix), matrix);
    const ints = roundTrip(new Int32Array([1, -2, 3])) as Matrix;
    assert.deepEqual([ints.shape, ints.dtype, [...ints.data]], [[3], 'int32', [1, -2, 3]]);
  });

  it('names the type and path of a value that cannot cross', () => {
    assert.throws(() => toWire({ rows: [1, { f: () => 1 }] }), (e: unknown) =>
      e instanceof UnmarshallableError && e.path === 'value.rows[1].f' && e.typeName === 'function');
    class Socket {}
    assert.throws(() => toWire([new Socket()]), /value\[0\]: Socket/);
  });
});
