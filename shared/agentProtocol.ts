// The agent protocol as the extension follows it: requests, events, payloads, replies and value extension codes, as
// types. agentProtocolTables.ts holds the same as data, which python-agent/pydock_agent/protocol.py mirrors.
import type { Value } from './values';

export const AGENT_PROTOCOL_VERSION = '1';

/** How a result comes back: `value` marshals it strictly; `repl` sends a repr, a small value and a table preview. */
export type ResultMode = 'value' | 'repl';

export interface CodeLocation {
  /** File name the code is compiled with, so tracebacks name it. */
  file?: string;
  /** 1-based line of the code's first line in that file. */
  line?: number;
}

export interface DefineStep { type: 'define'; name: string; value: Value }
export interface ExecStep extends CodeLocation { type: 'exec'; code: string }
export interface EvalStep extends CodeLocation { type: 'eval'; expr: string }
export type Step = DefineStep | ExecStep | EvalStep;

/**
 * With lastSeq (a reattach), the hello is followed by every kept event after it; `sync` is written raw just before
 * the hello, so an extension that joined the stream in the middle of a frame finds where frames start again.
 */
export interface HelloRequest { type: 'hello'; id: number; lastSeq?: number; sync?: Uint8Array }
/** Events up to seq were shown, so the agent forgets them. Also the heartbeat: with no request for graceMs, the agent exits. */
export interface AckRequest { type: 'ack'; id?: number; seq: number; graceMs?: number }
/** `numbers`: how the numbers of a repl result's table preview read. */
export interface ExecRequest extends ExecStep { id: number; mode?: ResultMode; numbers?: NumberFormat }
export interface EvalRequest extends EvalStep { id: number; mode?: ResultMode; numbers?: NumberFormat }
export interface DefineRequest extends DefineStep { id: number }
export interface BatchRequest { type: 'batch'; id: number; steps: Step[]; mode?: ResultMode; numbers?: NumberFormat }
export interface InterruptRequest { type: 'interrupt'; id: number; target?: number }
/** Are you there? Sent when the stream has been quiet: the agent's reader thread answers with a pong at once. */
export interface PingRequest { type: 'ping'; id?: number }
export interface ShutdownRequest { type: 'shutdown'; id: number }

// Inspection requests run on the agent's inspector thread, beside user code, and answer with a result whose
// value is the reply below. They never make the session busy. Those with `numbers` write numbers as it says
// (exact without it), giving the exact text beside.

/** How numbers read for people: as pandas writes a float column with display.precision, optionally with thousands separators. */
export interface NumberFormat {
  /** Digits after the point (pandas' display.precision, 6); magnitudes below 10^-precision or above 1e6 read in scientific notation. */
  precision: number;
  thousands: boolean;
}

/** The session namespace, for the variables view. Reply: VariablesReply. */
export interface VarsRequest { type: 'vars'; id: number; numbers?: NumberFormat }
/** The children of a variable (dict items, list items, attributes). Reply: VariablesReply. */
export interface VarsExpandRequest { type: 'vars.expand'; id: number; path: VariablePath; expr: string; numbers?: NumberFormat }

/**
 * Opens a table handle on a namespace expression or on a result object from a preview. `bind` (with `ref`) names
 * where the result came from (the name its cell ended in): the handle follows that name while it still names the
 * result (TableSchema.source), and is a snapshot otherwise. Reply: TableSchema.
 */
export interface TableOpenRequest { type: 'table.open'; id: number; expr?: string; ref?: number; bind?: string }
/** A window of formatted cells of the current view: rows [start, end) and columns [first, end). Reply: TableRows. */
export interface TableRowsRequest { type: 'table.rows'; id: number; handle: number; start: number; end: number; columns?: [number, number]; numbers?: NumberFormat }
/** One cell's full text, for hover and copy of a cut value; `row` is an original position (TableRows.positions). Reply: string. */
export interface TableCellRequest { type: 'table.cell'; id: number; handle: number; row: number; column: number }
/** Sets the sort; an empty list restores the original order. Reply: TableSchema. */
export interface TableSortRequest { type: 'table.sort'; id: number; handle: number; keys: SortKey[] }
/**
 * Sets the filters and the global search. With `limit`, the search may stop once it found that many rows in view
 * order (the schema says `partial`); the next request that needs every match finishes it. Reply: TableSchema.
 */
export interface TableFilterRequest { type: 'table.filter'; id: number; handle: number; filters: ColumnFilter[]; search?: string; limit?: number }
/** Summary statistics of one column of the current view. Cancellable with interrupt. Reply: ColumnProfile. */
export interface TableProfileRequest { type: 'table.profile'; id: number; handle: number; column: number; numbers?: NumberFormat }
/** Writes the whole current view as CSV or TSV to a path inside the container. Reply: TableExportReply. */
export interface TableExportRequest { type: 'table.export'; id: number; handle: number; path: string; format: 'csv' | 'tsv' }
/** pandas code that reproduces the current sort and filters. Reply: string. */
export interface TableCodeRequest { type: 'table.code'; id: number; handle: number; name: string }
/** Frees the handle and its view. Reply: null. */
export interface TableReleaseRequest { type: 'table.release'; id: number; handle: number }
/** Whether the expression a live handle follows now names another object, or the same one changed. Reply: boolean. */
export interface TableChangedRequest { type: 'table.changed'; id: number; handle: number }
/** Reads the handle's expression again into the same view: sort, filters and search follow their columns. Reply: TableSchema. */
export interface TableRefreshRequest { type: 'table.refresh'; id: number; handle: number }
/** A quick summary of one column of the view, for the overview of every column. Cancellable. Reply: ColumnSummary. */
export interface TableSummaryRequest { type: 'table.summary'; id: number; handle: number; column: number; numbers?: NumberFormat }

/** A figure a display event named by its plot id, drawn again (after plt.show() closed it). Reply: the SVG text. */
export interface PlotRenderRequest { type: 'plot.render'; id: number; plot: number; format: 'svg' }

/** A language server message (JSON-RPC text) for the agent's live-namespace server. Reply: the response's JSON text, "" for a notification. */
export interface LspRequest { type: 'lsp'; id: number; message: string }

/** An inspection as a caller writes it (the session numbers it). */
export type InspectBody = InspectRequest extends infer R ? (R extends InspectRequest ? Omit<R, 'id'> : never) : never;

export type InspectRequest =
  | VarsRequest | VarsExpandRequest
  | TableOpenRequest | TableRowsRequest | TableCellRequest | TableSortRequest | TableFilterRequest
  | TableProfileRequest | TableExportRequest | TableCodeRequest | TableReleaseRequest | TableChangedRequest
  | TableRefreshRequest | TableSummaryRequest | PlotRenderRequest | LspRequest;

export type Request =
  | HelloRequest | AckRequest | PingRequest | ExecRequest | EvalRequest | DefineRequest | BatchRequest | InterruptRequest | ShutdownRequest
  | CallRequest | RefRequest | InspectRequest | DebugRequest;

// The debugger: DAP bytes relayed to debugpy inside the agent (python-agent/pydock_agent/debugger.py).
/** Starts debugpy on loopback (once per agent) and connects to it. A run on the main thread, which debugpy then traces. Reply: null. */
export interface DapOpenRequest { type: 'dap.open'; id: number }
/** DAP bytes for debugpy as the client framed them (Content-Length headers), written beside runs. */
export interface DapRequest { type: 'dap'; id?: number; data: Uint8Array }
/** Ends the connection dap.open made. */
export interface DapCloseRequest { type: 'dap.close'; id?: number }
export type DebugRequest = DapOpenRequest | DapRequest | DapCloseRequest;

/** Requests that run code in order on the agent's main thread and end in a result or an error. */
export type RunRequest = ExecRequest | EvalRequest | DefineRequest | BatchRequest | CallRequest | RefRequest;

// Calls and remote object handles run on the main thread, in order with other runs, in value mode.
// `asRef` returns an ObjectRef (a handle to the Python object) instead of the marshalled value.

/** Calls a callable named by `target` (a dotted name like 'os.path.join', or an expression like 'lambda x: x * x'). */
export interface CallRequest { type: 'call'; id: number; target: string; args: Value[]; kwargs: Record<string, Value>; asRef?: boolean }
/** Evaluates an expression and keeps the object: the reply is an ObjectRef. */
export interface RefNewRequest { type: 'ref.new'; id: number; expr: string }
export interface RefGetRequest { type: 'ref.get'; id: number; ref: number; attr: string; asRef?: boolean }
export interface RefCallRequest { type: 'ref.call'; id: number; ref: number; method: string; args: Value[]; kwargs: Record<string, Value>; asRef?: boolean }
/** The object itself, marshalled. */
export interface RefValueRequest { type: 'ref.value'; id: number; ref: number }
/** Forgets objects; using them afterwards is an error. Reply: null. */
export interface RefReleaseRequest { type: 'ref.release'; id: number; refs: number[] }
export type RefRequest = RefNewRequest | RefGetRequest | RefCallRequest | RefValueRequest | RefReleaseRequest;

// ---- Variables ----

/** Steps from a namespace name down to a child: dict keys, list indexes, attribute names. */
export type VariablePath = (string | number)[];

export interface VariableInfo {
  name: string;
  /** Where it sits; ask vars.expand with it for children. */
  path: VariablePath;
  /** A Python expression for it, e.g. data['rows'][3]: what "View as table" opens. */
  expr: string;
  type: string;
  /** A short repr, at most 200 characters. */
  repr: string;
  /** A number as it reads (see NumberFormat), when that differs from its repr. */
  shown?: string;
  /** For arrays and frames, e.g. [1000, 3]; for sized containers, [len]. */
  shape?: number[];
  kind: 'module' | 'function' | 'class' | 'private' | 'data';
  expandable: boolean;
  /** It opens in the table viewer. */
  tabular: boolean;
}

export interface VariablesReply { variables: VariableInfo[]; truncated: boolean }

// ---- Tables ----

/** Codes for values that are not text, so the viewer can style them: None, NaN, NaT, pd.NA, inf, -inf. */
export const SPECIAL = { none: 0, nan: 1, nat: 2, na: 3, posinf: 4, neginf: 5 } as const;
export type SpecialCode = (typeof SPECIAL)[keyof typeof SPECIAL];
/**
 * A formatted cell: its text; a special-value code; a cut text with the full text's length; or a number as it reads
 * (request `numbers`) with its exact text.
 */
export type Cell = string | SpecialCode | [text: string, fullLength: number] | [shown: string, exact: string];

export interface TableColumn {
  /** The label as text; for MultiIndex columns, the levels joined for display. */
  name: string;
  /** The label's levels (one for a plain index). */
  levels: string[];
  dtype: string;
  kind: 'int' | 'float' | 'bool' | 'complex' | 'str' | 'bytes' | 'datetime' | 'timedelta' | 'period' | 'interval' | 'category' | 'object';
}

export interface TableSchema {
  handle: number;
  kind: 'dataframe' | 'series' | 'ndarray' | 'records' | 'columns' | 'grid';
  columns: TableColumn[];
  /** The row index's levels (names and dtypes); an ndarray has one unnamed level. */
  indexLevels: { name: string; dtype: string }[];
  totalRows: number;
  /** Rows in the current view, after filters and search. */
  filteredRows: number;
  sort: SortKey[];
  filters: ColumnFilter[];
  search: string;
  /** The expression a live view follows (after each run it is compared, and refreshed when it changed); absent: a snapshot. */
  source?: string;
  /** The search stopped at its first page of matches: filteredRows counts those; the rest are being counted. */
  partial?: boolean;
}

export interface TableRows {
  start: number;
  /** Positions in the original data of each row of the window (stable across sorts; used for copy and cells). */
  positions: number[];
  /** One list per row: the row's index labels, one cell per level. */
  index: Cell[][];
  /** One list per row: the cells of the requested columns. */
  cells: Cell[][];
  /** The first column of the window. */
  firstColumn: number;
  filteredRows: number;
}

export interface SortKey { column: number; descending: boolean }

export type ColumnFilter =
  | { column: number; op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; value: string }
  | { column: number; op: 'between'; value: string; value2: string }
  | { column: number; op: 'contains' | 'regex'; value: string; caseSensitive?: boolean }
  | { column: number; op: 'isnull' | 'notnull' }
  | { column: number; op: 'in'; values: string[] };

/** What a column's profile and its summary both say. */
interface ColumnFigures {
  column: number;
  /** Values that are not missing, as pandas counts them. */
  count: number;
  nullCount: number;
  distinct?: number;
  min?: Cell;
  max?: Cell;
  mean?: Cell;
  /** The most frequent values and their counts. */
  top?: { value: Cell; count: number }[];
}

export interface ColumnProfile extends ColumnFigures {
  std?: Cell;
  /** Quantile → formatted value, for 0.05, 0.25, 0.5, 0.75 and 0.95. */
  quantiles?: Record<string, Cell>;
  /** Numeric and datetime columns: bin edges (formatted) and counts. */
  histogram?: { edges: Cell[]; counts: number[] };
}

/** A column at a glance (the viewer's summary row): numbers and dates exactly, other columns maybe from a sample. */
export interface ColumnSummary extends ColumnFigures {
  /** Numbers and dates: counts in equal bins from min to max. */
  bins?: number[];
  /** Set when nulls, distinct and top were counted in this many sampled rows (counts scaled to the view's rows). */
  sample?: number;
}

export interface AgentModules { numpy: boolean; pandas: boolean; msgpack: boolean; matplotlib: boolean }

export interface AgentInfo {
  python: string;
  agent: string;
  pid: number;
  cwd: string;
  modules: AgentModules;
}

export interface TableExportReply { path: string; rows: number }

export interface TablePreview {
  kind: 'dataframe' | 'series' | 'ndarray';
  shape: number[];
  columns: string[];
  dtypes: string[];
  /** The names of the row index levels ('' when unnamed): one level, or several for a MultiIndex. */
  indexNames: string[];
  /** Each row's index labels, one per level. */
  index: string[][];
  /** The first rows' cells: numbers as they read (ExecRequest.numbers), with their exact text. */
  rows: Cell[][];
  /** The result object, kept by the agent for a while: table.open with it opens the viewer. */
  ref: number;
}

/**
 * Rich output: a MIME type and its data (bytes for images, text otherwise); a matplotlib figure's has the id the agent
 * keeps it under for a while (plot.render draws it again).
 */
export interface DisplayData { mime: 'image/png' | 'image/svg+xml' | 'text/html' | 'text/plain'; data: string | Uint8Array; plot?: number }

export interface TracebackFrame { file: string; line: number; name: string; text: string }

export interface PythonErrorInfo {
  /** Exception class name, e.g. ZeroDivisionError; ProtocolError for a request the agent could not read. */
  type: string;
  message: string;
  /** The user's frames, outermost first; the agent's own frames are removed. */
  frames: TracebackFrame[];
  /** The traceback as Python prints it. */
  text: string;
}

interface EventBase { seq: number; id: number | null }

/** What a hello answered with lastSeq is followed by, and what the agent's bound on kept events lost. */
export interface ReplayInfo {
  /** Replayed events (those after lastSeq) and their bytes; each has a seq below the hello's. */
  events: number;
  bytes: number;
  /** Everything the agent keeps unacknowledged, lastSeq or not. */
  keptEvents: number;
  keptBytes: number;
  /** Events after lastSeq dropped, oldest first, to stay under the bound (64 MiB). */
  droppedEvents: number;
  droppedBytes: number;
}
export interface HelloEvent extends EventBase, AgentInfo {
  type: 'hello';
  /** The request the agent is running, e.g. one a window sent before it reloaded. */
  running: number | null;
  /** The highest request id the agent has received: a reattached session numbers its requests after it. */
  lastId: number;
  replay?: ReplayInfo;
}
export interface StatusEvent extends EventBase { type: 'status'; state: 'busy' | 'idle' }
/** The answer to a ping; its seq is the last event's (a pong is not kept for replay). */
export interface PongEvent extends EventBase { type: 'pong' }
export interface StreamEvent extends EventBase { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
export interface ResultEvent extends EventBase {
  type: 'result';
  pyType: string;
  repr: string;
  value: Value;
  table?: TablePreview;
  /** Rich reprs of the result (_repr_png_, _repr_svg_, _repr_html_), best first. */
  display?: DisplayData[];
  durationMs: number;
}
/** Rich output produced while code runs, e.g. a matplotlib figure on plt.show(). */
export interface DisplayEvent extends EventBase, DisplayData { type: 'display' }
export interface ErrorEvent extends EventBase { type: 'error'; error: PythonErrorInfo; durationMs?: number }

/** DAP bytes from debugpy; `id` is the dap.open whose connection they came on; `closed`: why it ended (its last event). */
export interface DapEvent extends EventBase { type: 'dap'; data: Uint8Array; closed?: string }

export type AgentEvent = HelloEvent | StatusEvent | PongEvent | StreamEvent | DisplayEvent | ResultEvent | ErrorEvent | DapEvent;
/** The events a session acts on; the link keeps pongs (heartbeats) to itself. */
export type SessionEvent = Exclude<AgentEvent, PongEvent>;

/** Value extension type codes (0x42 is msgpackr's arbitrary-size integer). */
export const EXT = {
  bigint: 0x42,
  float: 1,
  marker: 2,
  na: 3,
  remove: 4,
  ref: 5,
  uri: 6,
  date: 7,
  time: 8,
  datetime: 9,
  map: 10,
  grid: 11,
  matrix: 12,
  opaque: 13,
  objref: 14,
} as const;

/** What each inspection answers with. */
export interface InspectReplies {
  vars: VariablesReply;
  'vars.expand': VariablesReply;
  'table.open': TableSchema;
  'table.rows': TableRows;
  'table.cell': string;
  'table.sort': TableSchema;
  'table.filter': TableSchema;
  'table.profile': ColumnProfile;
  'table.export': TableExportReply;
  'table.code': string;
  'table.release': null;
  'table.changed': boolean;
  'table.refresh': TableSchema;
  'table.summary': ColumnSummary;
  'plot.render': string;
  lsp: string;
}
