// The agent protocol as the extension follows it: requests, events and value extension codes.
// Mirrors python-agent/pydock_agent/protocol.py; test/unit/protocolAgreement.test.ts checks that they agree.
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

export interface HelloRequest { type: 'hello'; id: number; lastSeq?: number }
export interface ExecRequest extends ExecStep { id: number; mode?: ResultMode }
export interface EvalRequest extends EvalStep { id: number; mode?: ResultMode }
export interface DefineRequest extends DefineStep { id: number }
export interface BatchRequest { type: 'batch'; id: number; steps: Step[]; mode?: ResultMode }
export interface InterruptRequest { type: 'interrupt'; id: number; target?: number }
export interface ShutdownRequest { type: 'shutdown'; id: number }

export type Request =
  | HelloRequest | ExecRequest | EvalRequest | DefineRequest | BatchRequest | InterruptRequest | ShutdownRequest;

/** Requests that run code in order on the agent's main thread and end in a result or an error. */
export type RunRequest = ExecRequest | EvalRequest | DefineRequest | BatchRequest;

export interface AgentInfo {
  python: string;
  agent: string;
  pid: number;
  cwd: string;
  modules: { numpy: boolean; pandas: boolean; msgpack: boolean; matplotlib: boolean };
}

export interface TablePreview {
  kind: 'dataframe' | 'ndarray';
  shape: number[];
  columns: string[];
  dtypes: string[];
  index: string[];
  rows: string[][];
}

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
export interface HelloEvent extends EventBase, AgentInfo { type: 'hello' }
export interface StatusEvent extends EventBase { type: 'status'; state: 'busy' | 'idle' }
export interface StreamEvent extends EventBase { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
export interface ResultEvent extends EventBase {
  type: 'result';
  pyType: string;
  repr: string;
  value: Value;
  table?: TablePreview;
  durationMs: number;
}
export interface ErrorEvent extends EventBase { type: 'error'; error: PythonErrorInfo; durationMs?: number }

export type AgentEvent = HelloEvent | StatusEvent | StreamEvent | ResultEvent | ErrorEvent;

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
} as const;

// ---- The field lists, checked at compile time against the types above and at test time against the agent. ----

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
  hello: ['id', 'lastSeq?'],
  exec: ['id', 'code', 'file?', 'line?', 'mode?'],
  eval: ['id', 'expr', 'file?', 'line?', 'mode?'],
  define: ['id', 'name', 'value'],
  batch: ['id', 'steps', 'mode?'],
  interrupt: ['id', 'target?'],
  shutdown: ['id'],
} as const satisfies Spec<Request>;

export const STEP_FIELDS = {
  define: ['name', 'value'],
  exec: ['code', 'file?', 'line?'],
  eval: ['expr', 'file?', 'line?'],
} as const satisfies Spec<Step>;

export const EVENT_FIELDS = {
  hello: ['seq', 'id', 'python', 'agent', 'pid', 'cwd', 'modules'],
  status: ['seq', 'id', 'state'],
  stream: ['seq', 'id', 'name', 'text'],
  result: ['seq', 'id', 'pyType', 'repr', 'value', 'table?', 'durationMs'],
  error: ['seq', 'id', 'error', 'durationMs?'],
} as const satisfies Spec<AgentEvent>;

// Fails to compile when a list above misses a field of its type.
const requestsComplete: { [K in Request['type']]: true } = {} as Complete<Request, typeof REQUEST_FIELDS>;
const stepsComplete: { [K in Step['type']]: true } = {} as Complete<Step, typeof STEP_FIELDS>;
const eventsComplete: { [K in AgentEvent['type']]: true } = {} as Complete<AgentEvent, typeof EVENT_FIELDS>;
void requestsComplete, stepsComplete, eventsComplete;

/** Checks a decoded event's shape before the session trusts it. */
export function isAgentEvent(message: unknown): message is AgentEvent {
  if (typeof message !== 'object' || message === null) return false;
  const fields = (EVENT_FIELDS as Record<string, readonly string[] | undefined>)[(message as { type?: string }).type ?? ''];
  return fields !== undefined && fields.every((f) => f.endsWith('?') || f in message);
}
