// Encodes protocol messages and values as MessagePack (msgpackr) with pydock's extension types, both ways.
import { Packr, addExtension } from 'msgpackr';
import { EXT } from '../../../shared/agentProtocol';
import { DTYPES, FlatMap, Float64 } from './toWire';
import {
  DateTime, Grid, GridColumn, LocalDate, LocalTime, Marker, MarkerType, Matrix, MatrixData, NA, NAType, ObjectRef, PyObject, Ref,
  Remove, RemoveType, Uri, Value,
} from '../../../shared/values';

export { UnmarshallableError, toWire } from './toWire';

// int64AsType 'auto': numbers within 2^53, bigints beyond, so no integer loses digits. (Missing from msgpackr's types.)
const packr = new Packr({
  useRecords: false, mapsAsObjects: true, useBigIntExtension: true, variableMapSize: true, int64AsType: 'auto' as 'bigint',
});

export function encode(message: unknown): Buffer {
  return packr.pack(message);
}

export function decode(bytes: Uint8Array): unknown {
  return unpackMessage(bytes);
}

/** Extension values placed in the message being decoded, whose payloads are decoded once it is (see `later`). */
let pending: (() => void)[] = [];

function unpackMessage(bytes: Uint8Array): unknown {
  try {
    const value = packr.unpack(bytes);
    for (let i = 0; i < pending.length; i++) pending[i](); // a payload may hold more extensions: they queue behind
    return value;
  } finally {
    pending = [];
  }
}

/**
 * Places an extension value now and fills it from its payload once the message is decoded. Unpacking the payload
 * right away would nest one unpack in another, for which msgpackr copies the whole message: quadratic for many
 * Refs, and binaries after it would be copies instead of views of the message.
 */
function later<T extends object>(shell: T, payload: Uint8Array, fill: (shell: T, items: Value[]) => void): T {
  pending.push(() => fill(shell, packr.unpack(payload) as Value[]));
  return shell;
}

let decodedObjectRefs: ObjectRef[] | undefined;

/** decode(), also listing the ObjectRefs the message holds, so their session can release them once unreachable. */
export function decodeWithObjectRefs(bytes: Uint8Array): { message: unknown; objectRefs: ObjectRef[] } {
  const objectRefs: ObjectRef[] = [];
  decodedObjectRefs = objectRefs;
  try {
    return { message: unpackMessage(bytes), objectRefs };
  } finally {
    decodedObjectRefs = undefined;
  }
}

/**
 * Writes a matrix extension straight into the message: its payload [shape, dtype, data] with the data copied once.
 * Packing the payload on its own first would copy the data twice more (a nested buffer, then into the message).
 */
function packMatrix(m: Matrix, allocate: Allocate): undefined {
  const head = packr.pack([m.shape, m.dtype]); // a 2-array: its header becomes the 3-array's below
  const data = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  const payloadSize = head.length + 5 + data.length;
  const { target, targetView, position } = allocate(6 + payloadSize);
  target[position] = 0xc9; // ext 32
  targetView.setUint32(position + 1, payloadSize);
  target[position + 5] = EXT.matrix;
  target.set(head, position + 6);
  target[position + 6] = 0x93;
  const bin = position + 6 + head.length;
  target[bin] = 0xc6; // bin 32
  targetView.setUint32(bin + 1, data.length);
  target.set(data, bin + 5);
  return undefined;
}

/**
 * The matrix data as a typed array over the message's own bytes. A typed array needs its offset aligned to the
 * element size: when it is not, the data moves down in place into the bytes of its payload's headers just before
 * it (at least 9: the array, shape, dtype and binary headers, already read). That is one memmove within memory
 * already touched, cheaper than copying 80 MB into fresh pages.
 */
function typedArray(dtype: string, bytes: Uint8Array): MatrixData {
  const type = dtype === 'bool' ? Uint8Array : DTYPES.find(([, name]) => name === dtype)?.[0];
  if (!type) throw new Error(`unknown matrix dtype ${dtype}`);
  const size = (type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const shift = bytes.byteOffset % size;
  if (shift) new Uint8Array(bytes.buffer).copyWithin(bytes.byteOffset - shift, bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new (type as unknown as new (b: ArrayBufferLike, o: number, n: number) => MatrixData)(
    bytes.buffer, bytes.byteOffset - shift, bytes.byteLength / size);
}

const utf8 = new TextDecoder();
const empty = new Uint8Array(0);
/** msgpackr's way for an extension to write itself into the message: room for `size` bytes at `position`. */
type Allocate = (size: number) => { target: Uint8Array; targetView: DataView; position: number };

function register<T>(type: number, Class: (abstract new (...args: never[]) => T) | undefined,
  pack: ((value: T, allocate: Allocate) => Uint8Array | undefined) | undefined, unpack: (bytes: Uint8Array) => unknown): void {
  addExtension({ type, Class: Class as never, pack: pack as never, unpack });
}

register(EXT.float, Float64, (f) => { const b = Buffer.alloc(8); b.writeDoubleBE(f.value); return b; },
  (b) => Buffer.from(b.buffer, b.byteOffset, 8).readDoubleBE(0));
register(EXT.marker, MarkerType, () => empty, () => Marker);
register(EXT.na, NAType, () => empty, () => NA);
register(EXT.remove, RemoveType, () => empty, () => Remove);
register(EXT.ref, Ref, (r) => packr.pack([r.id, r.dis]),
  (b) => later(new Ref(''), b, (ref, [id, dis]) => Object.assign(ref, { id, dis })));
register(EXT.uri, Uri, (u) => Buffer.from(u.uri, 'utf8'), (b) => new Uri(utf8.decode(b)));
register(EXT.date, LocalDate, (d) => Buffer.from(d.iso, 'ascii'), (b) => new LocalDate(utf8.decode(b)));
register(EXT.time, LocalTime, (t) => Buffer.from(t.iso, 'ascii'), (b) => new LocalTime(utf8.decode(b)));
register(EXT.datetime, DateTime, (d) => packr.pack([d.iso, d.tz]),
  (b) => later(new DateTime(''), b, (dt, [iso, tz]) => Object.assign(dt, { iso, tz })));
register(EXT.map, FlatMap, (m) => packr.pack(m.entries), (b) => later(new Map<Value, Value>(), b, (map, flat) => {
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
}));
register(EXT.grid, Grid, (g) => packr.pack([g.meta, g.columns, g.rows.map((r) => g.columns.map((c) => r[c.name] ?? null))]),
  (b) => later(new Grid({}, [], []), b, (grid, [meta, columns, rows]) => {
    const cols = columns as GridColumn[];
    Object.assign(grid.meta, meta);
    grid.columns.push(...cols);
    for (const row of rows as Value[][]) grid.rows.push(Object.fromEntries(cols.map((c, i) => [c.name, row[i]])));
  }));
register(EXT.matrix, Matrix, packMatrix,
  (b) => later(new Matrix([], '', empty), b, (matrix, [shape, dtype, bytes]) =>
    Object.assign(matrix, { shape, dtype, data: typedArray(dtype as string, bytes as Uint8Array) })));
register(EXT.objref, ObjectRef, (o) => packr.pack([o.ref, o.type, o.repr]), (b) => {
  const objectRef = later(new ObjectRef(0, '', ''), b, (o, [ref, type, repr]) => Object.assign(o, { ref, type, repr }));
  decodedObjectRefs?.push(objectRef);
  return objectRef;
});
register(EXT.opaque, PyObject, (o) => packr.pack([o.type, o.repr]),
  (b) => later(new PyObject('', ''), b, (o, [type, repr]) => Object.assign(o, { type, repr })));
