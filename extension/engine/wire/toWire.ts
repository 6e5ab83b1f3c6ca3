// Prepares TypeScript values for MessagePack: the number and Map forms Python needs, and where a value cannot cross.
import { DateTime, Grid, LocalDate, LocalTime, Matrix, MatrixData, ObjectRef, PyObject, Ref, Singleton, Uri } from '../../../shared/values';

/** A value the wire cannot carry, with where it sits, e.g. `value[3].x: function`. */
export class UnmarshallableError extends Error {
  constructor(readonly path: string, readonly typeName: string) {
    super(`${path}: ${typeName} cannot be sent to Python`);
    this.name = 'UnmarshallableError';
  }
}

/** A float Python must see as a float (-0): msgpackr would write it as the integer 0. */
export class Float64 {
  constructor(readonly value: number) {}
}

/** A Map on its way out; msgpackr writes Maps as plain maps, which Python could not tell from a dict. */
export class FlatMap {
  constructor(readonly entries: unknown[]) {}
}

export const DTYPES: [new (...args: never[]) => MatrixData, string][] = [
  [Float64Array, 'float64'], [Float32Array, 'float32'], [Int8Array, 'int8'], [Int16Array, 'int16'],
  [Int32Array, 'int32'], [BigInt64Array, 'int64'], [Uint8Array, 'uint8'], [Uint16Array, 'uint16'],
  [Uint32Array, 'uint32'], [BigUint64Array, 'uint64'],
];

/** Values msgpackr writes through pydock's extensions as they are. */
const EXTENSION_CLASSES = [Uint8Array, Singleton, Ref, Uri, LocalDate, LocalTime, DateTime, Matrix, PyObject, ObjectRef];

/** Thrown inside the walk, which builds no path strings: the path is put together on the way out. */
class Unsendable {
  readonly steps: string[] = [];
  constructor(readonly typeName: string) {}
}

/**
 * Prepares a TypeScript value for encoding. msgpackr writes integers beyond 32 bits as floats and -0 as 0;
 * Python must see an int and a float, so those become bigint and an explicit float. Containers whose items all
 * cross as they are (most records) are passed on, not copied.
 */
export function toWire(value: unknown, path = 'value'): unknown {
  try {
    return wire(value);
  } catch (error) {
    if (error instanceof Unsendable) throw new UnmarshallableError(path + error.steps.reverse().join(''), error.typeName);
    throw error;
  }
}

function wire(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      return isPlainNumber(value) ? value : Object.is(value, -0) ? new Float64(value) : BigInt(value);
    case 'string': case 'boolean': case 'bigint':
      return value;
    case 'undefined':
      return null;
    case 'object':
      return value === null ? null : objectToWire(value);
    default:
      throw new Unsendable(typeof value);
  }
}

/** A number msgpackr writes as Python should read it: not -0, and not an integer beyond 32 bits. */
function isPlainNumber(n: number): boolean {
  return !(Object.is(n, -0) || (Number.isSafeInteger(n) && (n > 0xffffffff || n < -0x80000000)));
}

function isPlain(value: unknown): boolean {
  switch (typeof value) {
    case 'string': case 'boolean': return true;
    case 'number': return isPlainNumber(value);
    default: return value === null;
  }
}

/** Adds the step to where an unsendable value sits, as the walk unwinds. */
function under(error: unknown, step: string): unknown {
  if (error instanceof Unsendable) error.steps.push(step);
  return error;
}

function objectToWire(value: object): unknown {
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return recordToWire(value as Record<string, unknown>);
  if (Array.isArray(value)) return arrayToWire(value);
  if (EXTENSION_CLASSES.some((Class) => value instanceof Class)) return value;
  if (value instanceof Map) return mapToWire(value);
  if (value instanceof globalThis.Date) return DateTime.fromDate(value);
  if (ArrayBuffer.isView(value)) return new Matrix([(value as MatrixData).length], dtypeOf(value as MatrixData), value as MatrixData);
  if (value instanceof Grid) return gridToWire(value);
  throw new Unsendable(proto?.constructor?.name ?? 'object');
}

function recordToWire(record: Record<string, unknown>): unknown {
  const keys = Object.keys(record);
  if (keys.every((k) => isPlain(record[k]))) return record;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue; // as JSON leaves it out
    try {
      out[k] = wire(v);
    } catch (error) {
      throw under(error, `.${k}`);
    }
  }
  return out;
}

function arrayToWire(items: unknown[]): unknown[] {
  if (items.every(isPlain)) return items;
  return items.map((item, i) => {
    try {
      return wire(item);
    } catch (error) {
      throw under(error, `[${i}]`);
    }
  });
}

function mapToWire(map: Map<unknown, unknown>): FlatMap {
  const flat: unknown[] = [];
  for (const [k, v] of map) {
    try {
      flat.push(wire(k), wire(v));
    } catch (error) {
      throw under(error, `[${String(k)}]`);
    }
  }
  return new FlatMap(flat);
}

function gridToWire(grid: Grid): Grid {
  const part = <T>(value: unknown, step: string): T => {
    try {
      return wire(value) as T;
    } catch (error) {
      throw under(error, step);
    }
  };
  return new Grid(part(grid.meta, '.meta'), grid.columns.map((c, i) => ({ name: c.name, meta: part(c.meta, `.columns[${i}].meta`) })),
    grid.rows.map((r, i) => part(r, `.rows[${i}]`)));
}

function dtypeOf(data: MatrixData): string {
  const found = DTYPES.find(([type]) => data instanceof type);
  if (!found) throw new Unsendable(data.constructor.name);
  return found[1];
}
