// The session transcript as data: entries, their outputs, and bounded streams (head, elided count, tail).
// The extension and the panel apply the same updates with applyUpdate(), so both hold the same transcript.
import type { DisplayData, PythonErrorInfo, TablePreview } from './agentProtocol';

export type EntryState = 'queued' | 'running' | 'done' | 'error' | 'interrupted' | 'cancelled';

/** Rich data as the webview takes it: images as base64 text; a matplotlib figure with the agent's id for it. */
export interface DisplayView { mime: DisplayData['mime']; data: string; plot?: number }

export interface StreamOutput {
  kind: 'stream';
  name: 'stdout' | 'stderr';
  /** The first lines, kept whole up to the head limits. */
  head: string;
  /** Lines dropped between head and tail; the full text can be opened as a document. */
  elidedLines: number;
  /** The last lines, once the head is full. */
  tail: string;
}

export type OutputItem =
  | StreamOutput
  | { kind: 'display'; display: DisplayView }
  | { kind: 'result'; pyType: string; repr: string; table?: TablePreview; display?: DisplayView[] }
  | { kind: 'error'; error: PythonErrorInfo }
  /** pydock's own word about the run: "the session was restarted", "out of memory (limit 4 GiB)". */
  | { kind: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

export interface TranscriptEntry {
  id: string;
  /** Execution count, as In [n]. */
  count: number;
  code: string;
  /** Where the code came from: "analysis.py:12", "REPL". */
  source: string;
  file?: string;
  line?: number;
  state: EntryState;
  /** Epoch milliseconds. */
  startedAt?: number;
  durationMs?: number;
  /** Where a finished run's time went, from the API's trace. */
  timings?: RunTimings;
  collapsed: boolean;
  outputs: OutputItem[];
  /** The agent's id of the run, once sent: a window reloaded mid-run finds the entry of the run's later output by it. */
  runId?: number;
}

export interface RunTimings {
  /** Waiting behind earlier runs of the session. */
  queuedMs: number;
  /** From sending the code to the agent starting it. */
  startMs?: number;
  /** The agent running the code. */
  runMs?: number;
  /** From queueing to the last event. */
  totalMs?: number;
  bytesSent: number;
  bytesReceived: number;
}

export type EntryUpdate =
  | { type: 'add'; entry: TranscriptEntry }
  | { type: 'state'; id: string; state: EntryState; startedAt?: number; durationMs?: number; timings?: RunTimings; runId?: number }
  /** Appends text to the entry's current stream of that name (a new stream output when the name changes). */
  | { type: 'stream'; id: string; name: 'stdout' | 'stderr'; text: string }
  /** Replaces one output wholesale: how a long stream's bounded head and tail travel when lines are first elided. */
  | { type: 'replaceOutput'; id: string; index: number; output: OutputItem }
  /** An elided stream's moving end: its head no longer changes, so only the elided count and the tail travel. */
  | { type: 'streamTail'; id: string; index: number; elidedLines: number; tail: string }
  | { type: 'output'; id: string; output: OutputItem }
  | { type: 'collapse'; id: string; collapsed: boolean };

export interface StreamLimits {
  headLines: number;
  headChars: number;
  tailLines: number;
  tailChars: number;
}

/** The head keeps the start whole; the tail, redrawn as it moves, stays short so redrawing it stays cheap. */
export const DEFAULT_LIMITS: StreamLimits = { headLines: 1000, headChars: 100_000, tailLines: 200, tailChars: 20_000 };
/** Entries a transcript keeps; the oldest go first. */
export const MAX_ENTRIES = 10_000;

/** Applies one update in place; returns the entry it touched, or undefined when that entry is gone. */
export function applyUpdate(entries: TranscriptEntry[], update: EntryUpdate, limits = DEFAULT_LIMITS): TranscriptEntry | undefined {
  if (update.type === 'add') {
    entries.push(update.entry);
    if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
    return update.entry;
  }
  const entry = findEntry(entries, update.id);
  if (!entry) return undefined;
  switch (update.type) {
    case 'state':
      entry.state = update.state;
      if (update.startedAt !== undefined) entry.startedAt = update.startedAt;
      if (update.durationMs !== undefined) entry.durationMs = update.durationMs;
      if (update.timings) entry.timings = update.timings;
      if (update.runId !== undefined) entry.runId = update.runId;
      break;
    case 'stream':
      appendStream(entry, update.name, update.text, limits);
      break;
    case 'replaceOutput':
      entry.outputs[update.index] = update.output;
      break;
    case 'streamTail': {
      const stream = entry.outputs[update.index];
      if (stream?.kind !== 'stream') return undefined;
      stream.elidedLines = update.elidedLines;
      stream.tail = update.tail;
      break;
    }
    case 'output':
      entry.outputs.push(update.output);
      break;
    case 'collapse':
      entry.collapsed = update.collapsed;
      break;
    default: {
      const unknown: never = update;
      throw new Error(`unknown transcript update ${JSON.stringify(unknown)}`);
    }
  }
  return entry;
}

/** Entries are appended in order, so the one sought is nearly always at the end. */
function findEntry(entries: TranscriptEntry[], id: string): TranscriptEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].id === id) return entries[i];
  return undefined;
}

/** Appends to the last output if it is the same stream, else starts a new one; keeps it within the limits. */
export function appendStream(entry: TranscriptEntry, name: 'stdout' | 'stderr', text: string, limits = DEFAULT_LIMITS): StreamOutput {
  let stream = entry.outputs[entry.outputs.length - 1];
  if (stream?.kind !== 'stream' || stream.name !== name) {
    stream = { kind: 'stream', name, head: '', elidedLines: 0, tail: '' };
    entry.outputs.push(stream);
  }
  addText(stream, text, limits);
  return stream;
}

/**
 * Adds text as a terminal shows it: after a carriage return that ends no line (progress bars such as tqdm's), the
 * text overwrites its line. A "\r" that ends a chunk waits for the next one, which may start "\n".
 */
function addText(stream: StreamOutput, text: string, limits: StreamLimits): void {
  if (text && text[0] !== '\n' && lastPart(stream).endsWith('\r')) eraseLine(stream);
  const [first, ...overwrites] = text.split(/\r(?=[^\n])/);
  addLines(stream, first, limits);
  for (const piece of overwrites) {
    eraseLine(stream);
    addLines(stream, piece, limits);
  }
}

/** Lines have gone past the head: text goes to the tail from now on, and the head is final. */
export function isElided(stream: StreamOutput): boolean {
  return stream.elidedLines > 0 || stream.tail !== '';
}

function lastPart(stream: StreamOutput): string {
  return isElided(stream) ? stream.tail : stream.head;
}

/** Removes the unfinished last line. */
function eraseLine(stream: StreamOutput): void {
  if (isElided(stream)) stream.tail = stream.tail.slice(0, stream.tail.lastIndexOf('\n') + 1);
  else stream.head = stream.head.slice(0, stream.head.lastIndexOf('\n') + 1);
}

function addLines(stream: StreamOutput, text: string, limits: StreamLimits): void {
  if (!isElided(stream)) {
    const room = headRoom(stream.head, limits);
    const newlines = countLines(text);
    // Text fits when its lines, including a last unfinished one, stay within the head's line budget.
    const fitsLines = newlines < room.lines || (newlines === room.lines && text.endsWith('\n'));
    if (text.length <= room.chars && fitsLines) {
      stream.head += text;
      return;
    }
    const cut = cutAfterLines(text, room.lines, room.chars);
    stream.head += text.slice(0, cut);
    text = text.slice(cut);
  }
  const tail = stream.tail + text;
  const keep = keepLastLines(tail, limits.tailLines, limits.tailChars);
  stream.elidedLines += countLines(tail.slice(0, tail.length - keep.length));
  stream.tail = keep;
}

function headRoom(head: string, limits: StreamLimits): { lines: number; chars: number } {
  return { lines: Math.max(0, limits.headLines - countLines(head)), chars: Math.max(0, limits.headChars - head.length) };
}

/** Where to cut text so that at most `lines` newline-ended lines and `chars` characters come before the cut. */
function cutAfterLines(text: string, lines: number, chars: number): number {
  let position = 0;
  for (let i = 0; i < lines; i++) {
    const next = text.indexOf('\n', position);
    if (next < 0 || next + 1 > chars) break;
    position = next + 1;
  }
  return position;
}

/** The end of text holding at most `lines` lines and `chars` characters, starting at a line boundary when it can. */
function keepLastLines(text: string, lines: number, chars: number): string {
  let start = text.length;
  const body = text.endsWith('\n') ? text.length - 1 : text.length;
  let position = body;
  for (let i = 0; i < lines; i++) {
    const previous = text.lastIndexOf('\n', position - 1);
    if (previous < 0) {
      start = 0;
      break;
    }
    if (text.length - (previous + 1) > chars) break;
    start = previous + 1;
    position = previous;
  }
  if (start === text.length && text.length > 0) start = Math.max(0, text.length - chars); // one huge line
  return text.slice(start);
}

export function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The stream as plain text, with the elision marked, for copying. */
export function streamText(stream: StreamOutput): string {
  return stream.elidedLines ? `${stream.head}… ${stream.elidedLines} lines elided …\n${stream.tail}` : stream.head;
}
