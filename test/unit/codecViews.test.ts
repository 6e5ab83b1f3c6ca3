// Decoding without copies: binaries and matrix data stay views of the message, also after extension values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, decodeWithObjectRefs, encode, toWire } from '../../extension/engine/wire/codec';
import { Grid, Matrix, ObjectRef, Ref } from '../../shared/values';

/** The message as it arrives: its own buffer, at a chosen offset in it. */
function received(bytes: Uint8Array, offset: number): Buffer {
  const buffer = Buffer.alloc(bytes.length + offset);
  buffer.set(bytes, offset);
  return buffer.subarray(offset);
}

describe('decoding in place', () => {
  it('keeps binaries after extension values as views of the message', () => {
    const message = received(encode(toWire({ refs: [new Ref('a'), new Ref('b', 'B')], map: new Map([[1, Buffer.from([7])]]), tail: Buffer.from([1, 2, 3]) })), 0);
    const value = decode(message) as { refs: Ref[]; map: Map<number, Buffer>; tail: Buffer };
    assert.deepEqual(value.refs, [new Ref('a'), new Ref('b', 'B')]);
    for (const bytes of [value.tail, value.map.get(1)!]) {
      assert.ok(Buffer.isBuffer(bytes), 'still a Buffer');
      assert.equal(bytes.buffer, message.buffer, 'a view of the message, not a copy of it');
    }
  });

  it('gives matrix data as a typed array over the message, at any offset of the message', () => {
    const matrix = new Matrix([2, 2], 'float64', new Float64Array([1.5, -2, 3e300, Number.NaN]));
    for (let offset = 0; offset < 8; offset++) {
      const message = received(encode(toWire({ m: matrix })), offset);
      const back = (decode(message) as { m: Matrix }).m;
      assert.deepEqual([back.shape, back.dtype, [...back.data]], [[2, 2], 'float64', [1.5, -2, 3e300, Number.NaN]], `offset ${offset}`);
      assert.equal(back.data.buffer, message.buffer, `no copy at offset ${offset}`);
    }
  });

  it('fills extension values that hold others: grids of refs, maps of matrices', () => {
    const grid = new Grid({ dis: 'g' }, [{ name: 'id', meta: {} }], [{ id: new Ref('r1') }, { id: new Ref('r2') }]);
    const nested = new Map<number, Matrix>([[1, new Matrix([1], 'int32', new Int32Array([42]))]]);
    assert.deepEqual(decode(encode(toWire([grid, nested]))), [grid, nested]);
  });

  it('lists the object refs a message holds, filled in', () => {
    const { message, objectRefs } = decodeWithObjectRefs(encode(toWire([new ObjectRef(7, 'list', '[1]'), { x: new ObjectRef(8, 'dict', '{}') }])));
    assert.deepEqual(objectRefs, [new ObjectRef(7, 'list', '[1]'), new ObjectRef(8, 'dict', '{}')]);
    assert.equal((message as ObjectRef[])[0], objectRefs[0], 'the very objects in the message');
  });
});
