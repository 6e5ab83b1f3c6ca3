// The values that cross between TypeScript and Python, following Haxall's marshalling table.

/** A Haxall singleton: Marker, NA or Remove. Compare by identity with the exported instances. */
export abstract class Singleton {
  abstract readonly name: 'Marker' | 'NA' | 'Remove';
  toString(): string {
    return this.name;
  }
}
export class MarkerType extends Singleton {
  readonly name = 'Marker';
}
export class NAType extends Singleton {
  readonly name = 'NA';
}
export class RemoveType extends Singleton {
  readonly name = 'Remove';
}
export const Marker = new MarkerType();
export const NA = new NAType();
export const Remove = new RemoveType();

/** A record reference: pydock.Ref in Python. */
export class Ref {
  constructor(readonly id: string, readonly dis: string | null = null) {}
}

/** A URI: the str subclass pydock.Uri in Python. */
export class Uri {
  constructor(readonly uri: string) {}
  toString(): string {
    return this.uri;
  }
}

/** A calendar date (datetime.date), as 'YYYY-MM-DD'. */
export class LocalDate {
  constructor(readonly iso: string) {}
}

/** A time of day (datetime.time), as 'HH:MM:SS[.ffffff][+HH:MM]'. */
export class LocalTime {
  constructor(readonly iso: string) {}
}

/** A datetime.datetime: ISO text with microseconds and offset kept, plus its time zone name when it has one. */
export class DateTime {
  constructor(readonly iso: string, readonly tz: string | null = null) {}
  static fromDate(date: globalThis.Date): DateTime {
    return new DateTime(date.toISOString().replace('Z', '+00:00'), 'UTC');
  }
  toDate(): globalThis.Date {
    return new globalThis.Date(this.iso);
  }
}

export interface GridColumn { name: string; meta: Record<string, Value> }

/** Haxall's Grid: pydock.Grid in Python, a pandas DataFrame when it returns from one. */
export class Grid {
  constructor(
    readonly meta: Record<string, Value>,
    readonly columns: GridColumn[],
    readonly rows: Record<string, Value>[],
  ) {}
}

export type MatrixData =
  | Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

/** A numpy.ndarray of numbers or booleans: shape and dtype kept, data row-major. */
export class Matrix {
  constructor(readonly shape: number[], readonly dtype: string, readonly data: MatrixData) {}
}

/** A Python object that has no TypeScript form, shown as its type and repr. */
export class PyObject {
  constructor(readonly type: string, readonly repr: string) {}
}

/**
 * A Python object kept in the session, named by a number: returned with asRef (and for a DataFrame too big to
 * send whole), and usable as an argument. The session frees the object once this is garbage-collected.
 */
export class ObjectRef {
  constructor(readonly ref: number, readonly type: string, readonly repr: string) {}

  /** A Python expression for the object, e.g. for Session.inspect({type: 'table.open', expr}). */
  get expr(): string {
    return `__import__("pydock").kept(${this.ref})`;
  }
}

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Value[]
  | { [key: string]: Value }
  | Map<Value, Value>
  | Singleton
  | Ref
  | Uri
  | LocalDate
  | LocalTime
  | DateTime
  | Grid
  | Matrix
  | PyObject
  | ObjectRef;
