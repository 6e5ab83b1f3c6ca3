// The TypeScript and Python protocol modules must describe the same messages, fields and extension codes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import type { Session } from '../../extension/engine/session/session';
import { AGENT_PROTOCOL_VERSION, EXT, SPECIAL, type TableSchema } from '../../shared/agentProtocol';
import {
  ENUMS, EVENT_FIELDS, FILTER_FIELDS, INSPECT_REPLIES, NESTED, PAYLOAD_FIELDS, REQUEST_FIELDS, STEP_FIELDS,
} from '../../shared/agentProtocolTables';

const python = JSON.parse(execFileSync('python3', ['-c', `
import json
from pydock_agent import protocol as p
print(json.dumps({"version": p.VERSION, "requests": p.REQUESTS, "steps": p.STEPS, "events": p.EVENTS, "ext": p.EXT, "special": p.SPECIAL,
                  "payloads": p.PAYLOADS, "filters": p.FILTERS, "nested": p.NESTED, "enums": p.ENUMS, "replies": p.INSPECT_REPLIES}))
`], { cwd: agentBundle().dir, encoding: 'utf8' }));

const normalise = (spec: Record<string, readonly string[]>) =>
  Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, [...v].sort()]).sort());

describe('protocol agreement', () => {
  it('has the same version', () => assert.equal(python.version, AGENT_PROTOCOL_VERSION));
  it('has the same requests and fields', () => assert.deepEqual(normalise(python.requests), normalise(REQUEST_FIELDS)));
  it('has the same batch steps and fields', () => assert.deepEqual(normalise(python.steps), normalise(STEP_FIELDS)));
  it('has the same events and fields', () => assert.deepEqual(normalise(python.events), normalise(EVENT_FIELDS)));
  it('has the same value extension codes', () => assert.deepEqual(python.ext, EXT));
  it('has the same special cell codes', () => assert.deepEqual(python.special, SPECIAL));
  it('has the same payloads and fields', () => assert.deepEqual(normalise(python.payloads), normalise(PAYLOAD_FIELDS)));
  it('has the same filter operators and fields', () => assert.deepEqual(normalise(python.filters), normalise(FILTER_FIELDS)));
  it('nests the same payloads in the same places', () => assert.deepEqual(python.nested, NESTED));
  it('has the same enumerations', () => assert.deepEqual(normalise(python.enums), normalise(ENUMS)));
  it('answers each inspection with the same reply', () => assert.deepEqual(python.replies, INSPECT_REPLIES));
});

/** Compile-time (tsc checks the tests): an inspection's reply type follows from its request; a caller cannot pick another. */
async function repliesAreInferred(session: Session): Promise<void> {
  const schema: TableSchema = await session.inspect({ type: 'table.open', expr: 'df' });
  // @ts-expect-error the reply to table.cell is a string
  const cell: number = await session.inspect({ type: 'table.cell', handle: schema.handle, row: 0, column: 0 });
  // @ts-expect-error a caller no longer names the reply type
  await session.inspect<TableSchema>({ type: 'vars' });
  void cell;
}
void repliesAreInferred;
