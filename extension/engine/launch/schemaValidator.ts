// A small JSON Schema (draft-07) validator for the keywords pydock's own schemas use, with messages naming the field.

/** The subset of draft-07 this validator understands; annotations (description, default...) are ignored. */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  dependencies?: Record<string, string[]>;
  /** VS Code's keywords for friendlier messages, honoured here too. */
  errorMessage?: string;
  patternErrorMessage?: string;
}

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** Keywords that change what is valid; a schema using any other such keyword must not pass unnoticed. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'enum', 'pattern', 'minLength', 'minimum', 'exclusiveMinimum', 'properties', 'additionalProperties', 'required',
  'propertyNames', 'items', 'oneOf', 'allOf', 'not', 'dependencies', 'errorMessage', 'patternErrorMessage',
]);
/** Keywords that only describe. */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set(['$schema', '$comment', '$id', 'title', 'description', 'default', 'examples']);

export interface SchemaError {
  /** Where, e.g. "mounts[1].target"; empty for the document itself. */
  path: string;
  message: string;
}

/** Every error, outermost first; an empty list means valid. */
export function validate(schema: JsonSchema, value: unknown, path = ''): SchemaError[] {
  const own = check(schema, value, path);
  if (own.length && schema.errorMessage && !own.some((e) => e.path !== path)) return [{ path, message: schema.errorMessage }];
  return own;
}

export function formatSchemaError(error: SchemaError): string {
  return error.path ? `${error.path}: ${error.message}` : error.message;
}

function check(schema: JsonSchema, value: unknown, path: string): SchemaError[] {
  const fail = (message: string): SchemaError[] => [{ path, message }];
  if (schema.type && !(Array.isArray(schema.type) ? schema.type : [schema.type]).some((t) => hasType(value, t))) {
    return fail(`must be ${describeTypes(schema.type)}, not ${typeName(value)}`);
  }
  if (schema.enum && !schema.enum.some((option) => option === value)) return fail(`must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}`);
  const errors: SchemaError[] = [];
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(...fail(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`));
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errors.push(...fail(schema.patternErrorMessage ?? `must match ${schema.pattern}`));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(...fail(`must be at least ${schema.minimum}`));
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) errors.push(...fail(`must be more than ${schema.exclusiveMinimum}`));
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => errors.push(...validate(schema.items!, item, `${path}[${i}]`)));
  }
  if (isObject(value)) errors.push(...checkObject(schema, value, path));
  if (schema.oneOf && schema.oneOf.filter((option) => validate(option, value, path).length === 0).length !== 1) {
    errors.push(...fail('must match exactly one of the allowed forms'));
  }
  for (const part of schema.allOf ?? []) errors.push(...validate(part, value, path));
  if (schema.not && validate(schema.not, value, path).length === 0) errors.push(...fail('is not allowed here'));
  return errors;
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of schema.required ?? []) {
    if (!(key in value)) errors.push({ path: at(key), message: 'is required' });
  }
  for (const [key, needs] of Object.entries(schema.dependencies ?? {})) {
    for (const other of needs) {
      if (key in value && !(other in value)) errors.push({ path: at(key), message: `needs ${other} as well` });
    }
  }
  for (const [key, item] of Object.entries(value)) {
    if (schema.propertyNames) errors.push(...validate(schema.propertyNames, key, at(key)));
    const known = schema.properties?.[key];
    if (known) errors.push(...validate(known, item, at(key)));
    else if (schema.additionalProperties === false) errors.push({ path: at(key), message: `is not a known field${suggestion(key, Object.keys(schema.properties ?? {}))}` });
    else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties, item, at(key)));
  }
  return errors;
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'null': return value === null;
    default: return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function describeTypes(type: JsonType | JsonType[]): string {
  const names: Record<JsonType, string> = {
    string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false',
    object: 'an object', array: 'a list', null: 'null',
  };
  return (Array.isArray(type) ? type : [type]).map((t) => names[t]).join(' or ');
}

/** " (did you mean memory?)" for a near miss: same letters ignoring case, or one edit (or swap of neighbours) away. */
function suggestion(key: string, known: string[]): string {
  const close = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 1);
  return close ? ` (did you mean ${close}?)` : '';
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
