// Projects values onto plain JSON for the CLI's --json output: types JSON lacks become tagged objects ({"$int": "…"}).
import { DateTime, Grid, LocalDate, LocalTime, Matrix, ObjectRef, PyObject, Ref, Singleton, Uri, type Value } from '../../../shared/values';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function toJson(value: Value): Json {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $float: String(Object.is(value, -0) ? '-0' : value) };
    case 'bigint':
      return { $int: value.toString() };
    case 'string':
    case 'boolean':
      return value;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [toJson(k), toJson(v)]) };
  if (value instanceof Singleton) return { [`$${value.name.toLowerCase()}`]: true };
  if (value instanceof Ref) return { $ref: value.id, dis: value.dis };
  if (value instanceof Uri) return { $uri: value.uri };
  if (value instanceof LocalDate) return { $date: value.iso };
  if (value instanceof LocalTime) return { $time: value.iso };
  if (value instanceof DateTime) return { $datetime: value.iso, tz: value.tz };
  if (value instanceof Grid) {
    return { $grid: { meta: toJson(value.meta), columns: value.columns.map((c) => ({ name: c.name, meta: toJson(c.meta) })), rows: value.rows.map(toJson) } };
  }
  if (value instanceof Matrix) {
    return { $matrix: { shape: value.shape, dtype: value.dtype, data: Array.from(value.data as ArrayLike<number | bigint>, (x) => toJson(x)) } };
  }
  if (value instanceof PyObject) return { $object: value.type, repr: value.repr };
  if (value instanceof ObjectRef) return { $ref_handle: value.ref, type: value.type, repr: value.repr };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
}
