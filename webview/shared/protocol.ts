// The extension <-> webview protocol of pydock's two webviews (session panel, table viewer): tagged unions,
// request ids and errors as replies. The extension (extension/panel, extension/table) and the webviews follow it.
import type {
  Cell, ColumnFilter, ColumnProfile, PythonErrorInfo, SortKey, TableRows, TableSchema,
} from '../../extension/engine/protocol';
import type { EntryUpdate, TranscriptEntry } from './transcript';

export type { Cell, ColumnFilter, ColumnProfile, SortKey, TableRows, TableSchema };

/** Every message crosses in an envelope; a reply names the request it answers. */
export interface Envelope<B> {
  messageId: number;
  /** Set on replies: the messageId of the request. */
  inReplyTo?: number;
  body: B;
}

/** The body of a reply: a value, or an error message that says what went wrong. */
export type Reply = { type: 'reply'; ok: true; value: unknown } | { type: 'reply'; ok: false; error: string };

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

export type PanelToWebview =
  /** Everything, on open and after a reload. */
  | { type: 'panel.init'; session: SessionView; entries: TranscriptEntry[] }
  | { type: 'panel.session'; session: SessionView }
  /** A change to one entry (new entry, output, state); both sides apply it with applyUpdate(). */
  | { type: 'panel.update'; update: EntryUpdate }
  | { type: 'panel.cleared' };

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
  | { type: 'panel.collapse'; entryId: string; collapsed: boolean }
  /** Request: the REPL history of this workspace, oldest first. Reply value: string[]. */
  | { type: 'panel.history' };

// ---- Table viewer -------------------------------------------------------------------------------------------

export interface TableViewSettings {
  /** Refresh by itself when the variable changes after a later run, instead of offering to. */
  autoRefresh: boolean;
}

export type TableToWebview =
  | { type: 'table.init'; title: string; schema: TableSchema; settings: TableViewSettings }
  /** A new schema after a refresh (the variable changed and was reloaded). */
  | { type: 'table.schema'; schema: TableSchema }
  /** The variable changed after a later run; the view shows the old data until refreshed. */
  | { type: 'table.stale'; reason: string }
  /** The session ended or the data is gone. */
  | { type: 'table.closed'; reason: string };

export type TableFromWebview =
  | { type: 'table.ready' }
  /** Request. Reply value: TableRows. */
  | { type: 'table.rows'; start: number; end: number; columns?: [number, number] }
  /** Request: a cut cell's full text. Reply value: string. */
  | { type: 'table.cell'; row: number; column: number }
  /** Request. Reply value: TableSchema. */
  | { type: 'table.sort'; keys: SortKey[] }
  /** Request. Reply value: TableSchema. */
  | { type: 'table.filter'; filters: ColumnFilter[]; search: string }
  /** Request. Reply value: ColumnProfile. Cancel with table.cancel naming this request's messageId. */
  | { type: 'table.profile'; column: number }
  | { type: 'table.cancel'; request: number }
  /** Request: asks where to save, then the agent writes the whole view. Reply value: the saved path, or null. */
  | { type: 'table.export'; format: 'csv' | 'tsv' }
  /** Copies pandas code that reproduces the view. */
  | { type: 'table.copyCode' }
  | { type: 'table.copy'; text: string }
  /** Reloads the variable (after table.stale). */
  | { type: 'table.refresh' };

export type { PythonErrorInfo };
