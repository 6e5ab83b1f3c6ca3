// Checks messages from the agent against the protocol tables on arrival: fields, the payloads nested in them, and the
// values of enumerated fields. python-agent/pydock_agent/conformance.py applies the same tables to what the agent sends.
import type { InspectRequest } from '../../../shared/agentProtocol';
import { ENUMS, EVENT_FIELDS, FILTER_FIELDS, INSPECT_REPLIES, NESTED, PAYLOAD_FIELDS, type PayloadName } from '../../../shared/agentProtocolTables';

type Fields = readonly string[];
const enums: Record<string, readonly unknown[] | undefined> = ENUMS;
const nested: Record<string, string | undefined> = NESTED;

/** What is wrong with a decoded event before the session trusts it; undefined when nothing is. */
export function eventProblem(message: unknown): string | undefined {
  if (!isMap(message)) return 'it is not a map';
  const { type, id, seq } = message;
  const fields = typeof type === 'string' ? (EVENT_FIELDS as Record<string, Fields | undefined>)[type] : undefined;
  if (!fields) return `its type ${JSON.stringify(type)} is not one this pydock knows`;
  if (typeof seq !== 'number' && 'seq' in message) return 'its seq is not a number';
  if (id !== null && typeof id !== 'number' && 'id' in message) return 'its id is neither a number nor null';
  return shapeProblem('it', message, fields, type as string);
}

/** What is wrong with an inspection's reply, given what it answers. */
export function replyProblem(kind: InspectRequest['type'], value: unknown): string | undefined {
  const expected: string = INSPECT_REPLIES[kind];
  if (expected === 'string' || expected === 'boolean') return typeof value === expected ? undefined : `the reply is not a ${expected}`;
  if (expected === 'null') return value === null ? undefined : 'the reply is not null';
  return payloadProblem('the reply', value, expected);
}

function shapeProblem(where: string, value: Record<string, unknown>, fields: Fields, owner: string): string | undefined {
  const missing = fields.filter((f) => !f.endsWith('?') && !(f in value));
  if (missing.length) return `${where} lacks ${missing.join(', ')}`;
  for (const field of fields) {
    const name = field.endsWith('?') ? field.slice(0, -1) : field;
    if (!(name in value)) continue;
    const allowed = enums[`${owner}.${name}`];
    if (allowed && !allowed.includes(value[name])) return `${where}.${name} is ${JSON.stringify(value[name])}, not one of ${allowed.join(', ')}`;
    const inner = nested[`${owner}.${name}`];
    const problem = inner && nestedProblem(`${where}.${name}`, value[name], inner);
    if (problem) return problem;
  }
  return undefined;
}

/** A payload, or a list of them when the spec ends in "[]". */
function nestedProblem(where: string, value: unknown, spec: string): string | undefined {
  if (!spec.endsWith('[]')) return payloadProblem(where, value, spec);
  if (!Array.isArray(value)) return `${where} is not a list`;
  for (let i = 0; i < value.length; i++) {
    const problem = payloadProblem(`${where}[${i}]`, value[i], spec.slice(0, -2));
    if (problem) return problem;
  }
  return undefined;
}

function payloadProblem(where: string, value: unknown, name: string): string | undefined {
  if (!isMap(value)) return `${where} is not a map`;
  if (name === 'ColumnFilter') {
    const fields = (FILTER_FIELDS as Record<string, Fields | undefined>)[String(value.op)];
    return fields ? shapeProblem(where, value, fields, name) : `${where}.op ${JSON.stringify(value.op)} is not a filter this pydock knows`;
  }
  return shapeProblem(where, value, PAYLOAD_FIELDS[name as PayloadName], name);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}
