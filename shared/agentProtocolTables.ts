// The agent protocol as data: the fields of every message, payload and column filter, the enumerations, where payloads
// nest and what each inspection replies. Each table is checked against its type at compile time, against
// python-agent/pydock_agent/protocol.py by test/unit/protocolAgreement.test.ts, and on arrival by wire/conformance.ts.
import type {
  AgentEvent, AgentModules, ColumnFilter, ColumnProfile, ColumnSummary, DisplayData, InspectReplies, InspectRequest, NumberFormat, PythonErrorInfo,
  ReplayInfo, Request, SortKey, StatusEvent, Step, StreamEvent, TableColumn, TableExportReply, TablePreview, TableRows,
  TableSchema, TracebackFrame, VariableInfo, VariablesReply,
} from './agentProtocol';

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/** A message's field names as the spec writes them: optional ones end in '?'. */
type FieldNames<T> = Exclude<RequiredKeys<T>, 'type'> | `${Exclude<OptionalKeys<T>, symbol | number>}?`;
type Spec<U extends { type: string }> = { [K in U['type']]: readonly FieldNames<Extract<U, { type: K }>>[] };
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Complete<U extends { type: string }, S extends Spec<U>> = {
  [K in U['type']]: Exact<FieldNames<Extract<U, { type: K }>>, S[K][number]>;
};

export const REQUEST_FIELDS = {
  hello: ['id', 'lastSeq?', 'sync?'],
  ack: ['id?', 'seq', 'graceMs?'],
  ping: ['id?'],
  exec: ['id', 'code', 'file?', 'line?', 'mode?', 'numbers?'],
  eval: ['id', 'expr', 'file?', 'line?', 'mode?', 'numbers?'],
  define: ['id', 'name', 'value'],
  batch: ['id', 'steps', 'mode?', 'numbers?'],
  interrupt: ['id', 'target?'],
  shutdown: ['id'],
  call: ['id', 'target', 'args', 'kwargs', 'asRef?'],
  'ref.new': ['id', 'expr'],
  'ref.get': ['id', 'ref', 'attr', 'asRef?'],
  'ref.call': ['id', 'ref', 'method', 'args', 'kwargs', 'asRef?'],
  'ref.value': ['id', 'ref'],
  'ref.release': ['id', 'refs'],
  vars: ['id', 'numbers?'],
  'vars.expand': ['id', 'path', 'expr', 'numbers?'],
  'table.open': ['id', 'expr?', 'ref?', 'bind?'],
  'table.rows': ['id', 'handle', 'start', 'end', 'columns?', 'numbers?'],
  'table.cell': ['id', 'handle', 'row', 'column'],
  'table.sort': ['id', 'handle', 'keys'],
  'table.filter': ['id', 'handle', 'filters', 'search?', 'limit?'],
  'table.profile': ['id', 'handle', 'column', 'numbers?'],
  'table.export': ['id', 'handle', 'path', 'format'],
  'table.code': ['id', 'handle', 'name'],
  'table.release': ['id', 'handle'],
  'table.changed': ['id', 'handle'],
  'table.refresh': ['id', 'handle'],
  'table.summary': ['id', 'handle', 'column', 'numbers?'],
  'plot.render': ['id', 'plot', 'format'],
  lsp: ['id', 'message'],
  'dap.open': ['id'], dap: ['id?', 'data'], 'dap.close': ['id?'],
} as const satisfies Spec<Request>;

export const STEP_FIELDS = {
  define: ['name', 'value'],
  exec: ['code', 'file?', 'line?'],
  eval: ['expr', 'file?', 'line?'],
} as const satisfies Spec<Step>;

export const EVENT_FIELDS = {
  hello: ['seq', 'id', 'python', 'agent', 'pid', 'cwd', 'modules', 'running', 'lastId', 'replay?'],
  status: ['seq', 'id', 'state'],
  pong: ['seq', 'id'],
  stream: ['seq', 'id', 'name', 'text'],
  display: ['seq', 'id', 'mime', 'data', 'plot?'],
  result: ['seq', 'id', 'pyType', 'repr', 'value', 'table?', 'display?', 'durationMs'],
  error: ['seq', 'id', 'error', 'durationMs?'],
  dap: ['seq', 'id', 'data', 'closed?'],
} as const satisfies Spec<AgentEvent>;

// Fails to compile when a list above misses a field of its type.
const requestsComplete: { [K in Request['type']]: true } = {} as Complete<Request, typeof REQUEST_FIELDS>;
const stepsComplete: { [K in Step['type']]: true } = {} as Complete<Step, typeof STEP_FIELDS>;
const eventsComplete: { [K in AgentEvent['type']]: true } = {} as Complete<AgentEvent, typeof EVENT_FIELDS>;
void requestsComplete, stepsComplete, eventsComplete;

// ---- Payloads: the objects nested in messages and the inspections' replies, checked the same way. ----

/** A payload's field names as the spec writes them ("type" is an ordinary field here). */
type PayloadFieldNames<T> = RequiredKeys<T> | `${Exclude<OptionalKeys<T>, symbol | number>}?`;

interface Payloads {
  PythonErrorInfo: PythonErrorInfo;
  TracebackFrame: TracebackFrame;
  ReplayInfo: ReplayInfo;
  AgentModules: AgentModules;
  DisplayData: DisplayData;
  TablePreview: TablePreview;
  VariablesReply: VariablesReply;
  VariableInfo: VariableInfo;
  TableSchema: TableSchema;
  TableColumn: TableColumn;
  TableRows: TableRows;
  SortKey: SortKey;
  ColumnProfile: ColumnProfile;
  TableExportReply: TableExportReply;
  NumberFormat: NumberFormat;
  ColumnSummary: ColumnSummary;
}
export type PayloadName = keyof Payloads;

export const PAYLOAD_FIELDS = {
  PythonErrorInfo: ['type', 'message', 'frames', 'text'],
  TracebackFrame: ['file', 'line', 'name', 'text'],
  ReplayInfo: ['events', 'bytes', 'keptEvents', 'keptBytes', 'droppedEvents', 'droppedBytes'],
  AgentModules: ['numpy', 'pandas', 'msgpack', 'matplotlib'],
  DisplayData: ['mime', 'data', 'plot?'],
  TablePreview: ['kind', 'shape', 'columns', 'dtypes', 'indexNames', 'index', 'rows', 'ref'],
  VariablesReply: ['variables', 'truncated'],
  VariableInfo: ['name', 'path', 'expr', 'type', 'repr', 'shown?', 'shape?', 'kind', 'expandable', 'tabular'],
  TableSchema: ['handle', 'kind', 'columns', 'indexLevels', 'totalRows', 'filteredRows', 'sort', 'filters', 'search', 'source?', 'partial?'],
  TableColumn: ['name', 'levels', 'dtype', 'kind'],
  TableRows: ['start', 'positions', 'index', 'cells', 'firstColumn', 'filteredRows'],
  SortKey: ['column', 'descending'],
  ColumnProfile: ['column', 'count', 'nullCount', 'distinct?', 'min?', 'max?', 'mean?', 'std?', 'quantiles?', 'histogram?', 'top?'],
  TableExportReply: ['path', 'rows'],
  NumberFormat: ['precision', 'thousands'],
  ColumnSummary: ['column', 'count', 'nullCount', 'distinct?', 'min?', 'max?', 'mean?', 'bins?', 'top?', 'sample?'],
} as const satisfies { [K in PayloadName]: readonly PayloadFieldNames<Payloads[K]>[] };

/** The filter shape an operator belongs to (several operators share one). */
type FilterFor<K> = ColumnFilter extends infer F ? (F extends { op: infer O } ? (K extends O ? F : never) : never) : never;

/** A column filter's fields, by its operator. */
export const FILTER_FIELDS = {
  eq: ['column', 'op', 'value'], ne: ['column', 'op', 'value'], lt: ['column', 'op', 'value'], le: ['column', 'op', 'value'],
  gt: ['column', 'op', 'value'], ge: ['column', 'op', 'value'],
  between: ['column', 'op', 'value', 'value2'],
  contains: ['column', 'op', 'value', 'caseSensitive?'], regex: ['column', 'op', 'value', 'caseSensitive?'],
  isnull: ['column', 'op'], notnull: ['column', 'op'],
  in: ['column', 'op', 'values'],
} as const satisfies { [K in ColumnFilter['op']]: readonly PayloadFieldNames<FilterFor<K>>[] };

/** Where payloads sit: "message type or payload name.field" → the payload ("[]": a list of them; ColumnFilter by its op). */
export const NESTED = {
  'hello.replay': 'ReplayInfo',
  'hello.modules': 'AgentModules',
  'error.error': 'PythonErrorInfo',
  'result.table': 'TablePreview',
  'result.display': 'DisplayData[]',
  'PythonErrorInfo.frames': 'TracebackFrame[]',
  'VariablesReply.variables': 'VariableInfo[]',
  'TableSchema.columns': 'TableColumn[]',
  'TableSchema.sort': 'SortKey[]',
  'TableSchema.filters': 'ColumnFilter[]',
} as const;

/** The values an enumerated field takes. */
export const ENUMS = {
  'status.state': ['busy', 'idle'],
  'stream.name': ['stdout', 'stderr'],
  'DisplayData.mime': ['image/png', 'image/svg+xml', 'text/html', 'text/plain'],
  'TablePreview.kind': ['dataframe', 'series', 'ndarray'],
  'VariableInfo.kind': ['module', 'function', 'class', 'private', 'data'],
  'TableSchema.kind': ['dataframe', 'series', 'ndarray', 'records', 'columns', 'grid'],
  'TableColumn.kind': ['int', 'float', 'bool', 'complex', 'str', 'bytes', 'datetime', 'timedelta', 'period', 'interval', 'category', 'object'],
} as const;


/** The same as data, for the agent's side and for checking replies on arrival: a payload name or a JSON type. */
export const INSPECT_REPLIES = {
  vars: 'VariablesReply', 'vars.expand': 'VariablesReply',
  'table.open': 'TableSchema', 'table.rows': 'TableRows', 'table.cell': 'string', 'table.sort': 'TableSchema',
  'table.filter': 'TableSchema', 'table.profile': 'ColumnProfile', 'table.export': 'TableExportReply', 'table.code': 'string',
  'table.release': 'null', 'table.changed': 'boolean', 'table.refresh': 'TableSchema',
  'table.summary': 'ColumnSummary', 'plot.render': 'string', lsp: 'string',
} as const satisfies { [K in InspectRequest['type']]: ReplyName<InspectReplies[K]> };

type ReplyName<T> = T extends string ? 'string' : T extends boolean ? 'boolean' : T extends null ? 'null'
  : { [K in PayloadName]: Exact<Payloads[K], T> extends true ? K : never }[PayloadName];

// Fails to compile when a list above misses a field, a value, or an inspection.
const payloadsComplete: { [K in PayloadName]: true } = {} as { [K in PayloadName]: Exact<PayloadFieldNames<Payloads[K]>, (typeof PAYLOAD_FIELDS)[K][number]> };
const filtersComplete: { [K in ColumnFilter['op']]: true } = {} as {
  [K in ColumnFilter['op']]: Exact<PayloadFieldNames<FilterFor<K>>, (typeof FILTER_FIELDS)[K][number]>
};
const enumsComplete: { [K in keyof typeof ENUMS]: true } = {} as {
  'status.state': Exact<StatusEvent['state'], (typeof ENUMS)['status.state'][number]>;
  'stream.name': Exact<StreamEvent['name'], (typeof ENUMS)['stream.name'][number]>;
  'DisplayData.mime': Exact<DisplayData['mime'], (typeof ENUMS)['DisplayData.mime'][number]>;
  'TablePreview.kind': Exact<TablePreview['kind'], (typeof ENUMS)['TablePreview.kind'][number]>;
  'VariableInfo.kind': Exact<VariableInfo['kind'], (typeof ENUMS)['VariableInfo.kind'][number]>;
  'TableSchema.kind': Exact<TableSchema['kind'], (typeof ENUMS)['TableSchema.kind'][number]>;
  'TableColumn.kind': Exact<TableColumn['kind'], (typeof ENUMS)['TableColumn.kind'][number]>;
};
const repliesComplete: { [K in InspectRequest['type']]: true } = {} as { [K in InspectRequest['type']]: Exact<K, keyof InspectReplies & K> };
void payloadsComplete, filtersComplete, enumsComplete, repliesComplete;
