// The extension <-> webview protocol of pydock's two webviews (session panel, table viewer): per direction, events
// (no reply) and requests with their replies' types, which the Channel (messaging.ts) types and always answers.
import type {
  Cell, ColumnFilter, ColumnProfile, ColumnSummary, PythonErrorInfo, SortKey, TableRows, TableSchema,
} from './agentProtocol';
import type { PlotFormat, PlotRef, TranscriptPlot } from './plots';
import type { EntryUpdate, TranscriptEntry } from './transcript';

export type { Cell, ColumnFilter, ColumnProfile, ColumnSummary, SortKey, TableRows, TableSchema };

/** Every message crosses in an envelope; a reply names the request it answers. */
export interface Envelope<B> {
  messageId: number;
  /** Set on replies: the messageId of the request. */
  inReplyTo?: number;
  /** Set on requests: the other side answers it, always, with a value or an error. Events get no reply. */
  request?: true;
  body: B;
}

/** The body of a reply: a value, or an error message that says what went wrong and what to do. */
export type Reply = { type: 'reply'; ok: true; value: unknown } | { type: 'reply'; ok: false; error: string };

/** A request's parameters (beside its type) and the type of its reply's value. */
export interface Ask<Params extends object, ReplyValue> { params: Params; reply: ReplyValue }
type NoParams = Record<never, never>;
type NoRequests = Record<never, never>;

/**
 * One direction of a webview protocol: its events (no reply) and its requests by type, each with its reply. The
 * Channel types requests, replies and handlers from it, so no caller picks a reply type.
 */
export interface Direction<Event extends { type: string }, Requests extends { [K in keyof Requests]: Ask<object, unknown> }> {
  events: Event;
  requests: Requests;
}

// ---- Session panel ------------------------------------------------------------------------------------------

export type SessionStateView = 'new' | 'starting' | 'idle' | 'busy' | 'dead' | 'stopped';

export interface SessionView {
  /** Names the session across reloads; the panel keeps it in its saved state so the extension can reconnect it. */
  key: string;
  name: string;
  state: SessionStateView;
  /** e.g. "docker · pydock-local/python:full · Python 3.11.2" */
  description: string;
  /** Why it died, when it did. */
  problem?: string;
}

/** How the panel draws (pydock.output.* settings). */
export interface PanelSettings {
  /** Lines of a stream shown inline; a longer one scrolls in a region of its own this high. */
  outputLineLimit: number;
}

export const DEFAULT_PANEL_SETTINGS: PanelSettings = { outputLineLimit: 30 };

export type PanelToWebview =
  /** Everything, on open and after a reload. */
  | { type: 'panel.init'; session: SessionView; entries: TranscriptEntry[]; settings: PanelSettings }
  | { type: 'panel.settings'; settings: PanelSettings }
  | { type: 'panel.session'; session: SessionView }
  /** A change to one entry (new entry, output, state); both sides apply it with applyUpdate(). */
  | { type: 'panel.update'; update: EntryUpdate }
  | { type: 'panel.cleared' };

/** Events from the panel; a failure in handling one is shown by the extension. */
export type PanelFromWebview =
  | { type: 'panel.ready' }
  /** Runs REPL input. */
  | { type: 'panel.run'; code: string }
  | { type: 'panel.interrupt' }
  | { type: 'panel.restart' }
  | { type: 'panel.clear' }
  /** Opens a file at a 1-based line, from a traceback link. `file` is as the traceback names it. */
  | { type: 'panel.openLocation'; file: string; line: number }
  /** Opens a tabular result in the table viewer. */
  | { type: 'panel.openTable'; entryId: string; ref: number }
  /** Opens an entry's complete output (beyond the kept head and tail) as a read-only document. */
  | { type: 'panel.openFullOutput'; entryId: string }
  | { type: 'panel.copy'; text: string }
  /** Opens a plot (entry and output index) in the plot viewer, or saves it. */
  | { type: 'panel.plot'; entryId: string; index: number; action: 'open' | `save-${PlotFormat}` }
  | { type: 'panel.collapse'; entryId: string; collapsed: boolean };

/** A live completion of the REPL input: replace [start, end) of its code (UTF-16 offsets) with text. */
export interface ReplSuggestion { label: string; description: string; text: string; start: number; end: number }

/** Requests from the panel, and their replies. */
export interface PanelRequests {
  /** The REPL history of this workspace, oldest first. */
  'panel.history': Ask<NoParams, string[]>;
  /** Live completions at offset (UTF-16) of the input's code, from the session's language server. */
  'panel.complete': Ask<{ code: string; offset: number }, ReplSuggestion[]>;
}

export type ToPanel = Direction<PanelToWebview, NoRequests>;
export type FromPanel = Direction<PanelFromWebview, PanelRequests>;

// ---- Table viewer -------------------------------------------------------------------------------------------

export interface TableViewSettings {
  /** Refresh by itself when the variable changes after a later run, instead of offering to. */
  autoRefresh: boolean;
  /** Show the summary row (nulls, a small histogram or top values, key statistics) under the column names. */
  summaries: boolean;
}

export type TableToWebview =
  /**
   * `title` names the source: the variable a live view follows, or what a snapshot came from ("In [7]", an
   * expression). `refreshable`: the source can be read again (Refresh).
   */
  | { type: 'table.init'; title: string; snapshot: boolean; refreshable: boolean; schema: TableSchema; settings: TableViewSettings }
  /** The variable changed after a later run; the view shows the old data until refreshed. */
  | { type: 'table.stale'; reason: string }
  /** The session ended or the data is gone. */
  | { type: 'table.closed'; reason: string }
  /** Numbers are to read otherwise (pydock.table.precision or thousandsSeparator changed): ask for the cells again. */
  | { type: 'table.reformat' };

/** Events from the table viewer. */
export type TableFromWebview =
  | { type: 'table.ready' }
  /** Cancels the request whose messageId this is (a profile, summary, sort or filter). */
  | { type: 'table.cancel'; request: number };

/** Requests from the table viewer, and their replies; the viewer shows each one's error where it was asked. */
export interface TableRequests {
  /** Rows [start, end) of the view, and columns [first, end) when given. */
  'table.rows': Ask<{ start: number; end: number; columns?: [number, number] }, TableRows>;
  /** A cut cell's full text. */
  'table.cell': Ask<{ row: number; column: number }, string>;
  'table.sort': Ask<{ keys: SortKey[] }, TableSchema>;
  /** With `limit`, a search may stop at its first matches (the schema says partial): ask again without it for all. */
  'table.filter': Ask<{ filters: ColumnFilter[]; search: string; limit?: number }, TableSchema>;
  /** Cancel with table.cancel naming this request's messageId (as sort, filter and summary requests). */
  'table.profile': Ask<{ column: number }, ColumnProfile>;
  'table.summary': Ask<{ column: number }, ColumnSummary>;
  /** Asks where to save, then the agent writes the whole view: the saved path, or null when the user chose none. */
  'table.export': Ask<{ format: 'csv' | 'tsv' }, string | null>;
  /** Copies pandas code that reproduces the view. */
  'table.copyCode': Ask<NoParams, void>;
  'table.copy': Ask<{ text: string }, void>;
  /** Reads the source again into the same view (after table.stale, or Refresh): the new schema. */
  'table.refresh': Ask<NoParams, TableSchema>;
}

export type ToTable = Direction<TableToWebview, NoRequests>;
export type FromTable = Direction<TableFromWebview, TableRequests>;

// ---- Plot viewer ----------------------------------------------------------------------------------------------

/** A plot as the viewer shows it: which of the session's plots it is (1-based), and what it can be saved as. */
export interface PlotView extends TranscriptPlot {
  formats: PlotFormat[];
  position: number;
}

export type PlotsToWebview =
  /** The plot to show (none when the transcript has no plots), and how many the session's transcript has. */
  { type: 'plots.show'; plot?: PlotView; total: number };

export type PlotsFromWebview =
  | { type: 'plots.ready' }
  | { type: 'plots.go'; to: 'first' | 'previous' | 'next' | 'last' };

export interface PlotsRequests {
  /** Asks where to save the plot, then saves it: the saved path, or null when the user chose none. */
  'plots.save': Ask<PlotRef & { format: PlotFormat }, string | null>;
}

export type ToPlots = Direction<PlotsToWebview, NoRequests>;
export type FromPlots = Direction<PlotsFromWebview, PlotsRequests>;

export type { PythonErrorInfo };
