// Encodes protocol messages and values as MessagePack (msgpackr) with pydock's extension types, both ways.
import { Packr, addExtension } from 'msgpackr';
import { EXT } from './protocol';
import {
  DateTime, Grid, GridColumn, LocalDate, LocalTime, Marker, MarkerType, Matrix, MatrixData, NA, NAType, ObjectRef, PyObject, Ref,
  Remove, RemoveType, Singleton, Uri, Value,
} from './values';

// int64AsType 'auto': numbers within 2^53, bigints beyond, so no integer loses digits. (Missing from msgpackr's types.)
const packr = new Packr({
  useRecords: false, mapsAsObjects: true, useBigIntExtension: true, variableMapSize: true, int64AsType: 'auto' as 'bigint',
});

/** A value the wire cannot carry, with where it sits, e.g. `value[3].x: function`. */
export class UnmarshallableError extends Error {
  constructor(readonly path: string, readonly typeName: string) {
    super(`${path}: ${typeName} cannot be sent to Python`);
    this.name = 'UnmarshallableError';
  }
}

export function encode(message: unknown): Buffer {
  return packr.pack(message);
}

export function decode(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/**
 * Prepares a TypeScript value for encoding. msgpackr writes integers beyond 32 bits as floats and -0 as 0;
 * Python must see an int and a float, so those become bigint and an explicit float.
 */
export function toWire(value: unknown, path = 'value'): unknown {
  switch (typeof value) {
    case 'number':
      if (Object.is(value, -0)) return new Float64(value);
      return Number.isSafeInteger(value) && (value > 0xffffffff || value < -0x80000000) ? BigInt(value) : value;
    case 'string': case 'boolean': case 'bigint':
      return value;
    case 'undefined':
      return null;
    case 'object':
      return objectToWire(value, path);
    default:
      throw new UnmarshallableError(path, typeof value);
  }
}

function objectToWire(value: object | null, path: string): unknown {
  if (value === null || value instanceof Uint8Array || value instanceof Singleton || value instanceof Ref ||
      value instanceof Uri || value instanceof LocalDate || value instanceof LocalTime || value instanceof DateTime ||
      value instanceof Matrix || value instanceof PyObject || value instanceof ObjectRef) {
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => toWire(item, `${path}[${i}]`));
  if (value instanceof Map) {
    const flat: unknown[] = [];
    for (const [k, v] of value) flat.push(toWire(k, `${path}.<key>`), toWire(v, `${path}[${String(k)}]`));
    return new FlatMap(flat);
  }
  if (value instanceof globalThis.Date) return DateTime.fromDate(value);
  if (ArrayBuffer.isView(value)) return new Matrix([lengthOf(value)], dtypeOf(value as MatrixData, path), value as MatrixData);
  if (value instanceof Grid) {
    return new Grid(toWire(value.meta, `${path}.meta`) as Grid['meta'],
      value.columns.map((c, i) => ({ name: c.name, meta: toWire(c.meta, `${path}.columns[${i}].meta`) }) as GridColumn),
      value.rows.map((r, i) => toWire(r, `${path}.rows[${i}]`) as Grid['rows'][number]));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new UnmarshallableError(path, proto?.constructor?.name ?? 'object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = toWire(v, `${path}.${k}`);
  }
  return out;
}

class Float64 {
  constructor(readonly value: number) {}
}

/** A Map on its way out; msgpackr writes Maps as plain maps, which Python could not tell from a dict. */
class FlatMap {
  constructor(readonly entries: unknown[]) {}
}

const DTYPES: [new (...args: never[]) => MatrixData, string][] = [
  [Float64Array, 'float64'], [Float32Array, 'float32'], [Int8Array, 'int8'], [Int16Array, 'int16'],
  [Int32Array, 'int32'], [BigInt64Array, 'int64'], [Uint8Array, 'uint8'], [Uint16Array, 'uint16'],
  [Uint32Array, 'uint32'], [BigUint64Array, 'uint64'],
];

function dtypeOf(data: MatrixData, path: string): string {
  const found = DTYPES.find(([type]) => data instanceof type);
  if (!found) throw new UnmarshallableError(path, data.constructor.name);
  return found[1];
}

function lengthOf(view: ArrayBufferView): number {
  return (view as MatrixData).length;
}

function typedArray(dtype: string, bytes: Uint8Array): MatrixData {
  const type = dtype === 'bool' ? Uint8Array : DTYPES.find(([, name]) => name === dtype)?.[0];
  if (!type) throw new Error(`unknown matrix dtype ${dtype}`);
  const size = (type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  // A view needs its offset aligned to the element size; otherwise copy once.
  const aligned = bytes.byteOffset % size === 0 ? bytes : new Uint8Array(bytes);
  return new (type as unknown as new (b: ArrayBufferLike, o: number, n: number) => MatrixData)(
    aligned.buffer, aligned.byteOffset, aligned.byteLength / size);
}

const utf8 = new TextDecoder();
const empty = new Uint8Array(0);
const nested = (bytes: Uint8Array) => packr.unpack(bytes) as Value;

function register<T>(type: number, Class: (abstract new (...args: never[]) => T) | undefined,
  pack: ((value: T) => Uint8Array) | undefined, unpack: (bytes: Uint8Array) => unknown): void {
  addExtension({ type, Class: Class as never, pack: pack as never, unpack });
}

register(EXT.float, Float64, (f) => { const b = Buffer.alloc(8); b.writeDoubleBE(f.value); return b; },
  (b) => Buffer.from(b.buffer, b.byteOffset, 8).readDoubleBE(0));
register(EXT.marker, MarkerType, () => empty, () => Marker);
register(EXT.na, NAType, () => empty, () => NA);
register(EXT.remove, RemoveType, () => empty, () => Remove);
register(EXT.ref, Ref, (r) => packr.pack([r.id, r.dis]), (b) => { const [id, dis] = nested(b) as [string, string | null]; return new Ref(id, dis); });
register(EXT.uri, Uri, (u) => Buffer.from(u.uri, 'utf8'), (b) => new Uri(utf8.decode(b)));
register(EXT.date, LocalDate, (d) => Buffer.from(d.iso, 'ascii'), (b) => new LocalDate(utf8.decode(b)));
register(EXT.time, LocalTime, (t) => Buffer.from(t.iso, 'ascii'), (b) => new LocalTime(utf8.decode(b)));
register(EXT.datetime, DateTime, (d) => packr.pack([d.iso, d.tz]),
  (b) => { const [iso, tz] = nested(b) as [string, string | null]; return new DateTime(iso, tz); });
register(EXT.map, FlatMap, (m) => packr.pack(m.entries), (b) => {
  const flat = nested(b) as Value[];
  const map = new Map<Value, Value>();
  for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
});
register(EXT.grid, Grid, (g) => packr.pack([g.meta, g.columns, g.rows.map((r) => g.columns.map((c) => r[c.name] ?? null))]),
  (b) => {
    const [meta, columns, rows] = nested(b) as [Grid['meta'], GridColumn[], Value[][]];
    return new Grid(meta, columns, rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]]))));
  });
register(EXT.matrix, Matrix,
  (m) => packr.pack([m.shape, m.dtype, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength)]),
  (b) => { const [shape, dtype, bytes] = nested(b) as [number[], string, Uint8Array]; return new Matrix(shape, dtype, typedArray(dtype, bytes)); });
register(EXT.objref, ObjectRef, (o) => packr.pack([o.ref, o.type, o.repr]),
  (b) => { const [ref, type, repr] = nested(b) as [number, string, string]; return new ObjectRef(ref, type, repr); });
register(EXT.opaque, PyObject, (o) => packr.pack([o.type, o.repr]),
  (b) => { const [type, repr] = nested(b) as [string, string]; return new PyObject(type, repr); });
