// Keeps each session's transcript in a file of the extension's storage, so that it outlives a window reload. A file,
// not workspace state: while a reloading window's extension host deactivates, the window no longer stores what it sends.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TranscriptEntry } from '../../shared/transcript';

/** Saved transcripts stay under this many characters of JSON per session: the newest entries that fit. */
const SAVED_TRANSCRIPT_CHARS = 4_000_000;

export class TranscriptStore {
  constructor(private readonly dir: string, private readonly log: { warn(message: string): void }) {}

  /** The session's saved transcript; empty when there is none or it cannot be read (said in the log). */
  load(sessionKey: string): TranscriptEntry[] {
    const file = this.file(sessionKey);
    try {
      const entries: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (Array.isArray(entries)) return entries as TranscriptEntry[];
      this.log.warn(`the saved transcript ${file} is not a list of entries; starting an empty one`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`could not read the saved transcript ${file}: ${error}`);
    }
    return [];
  }

  /** Writes at once (a reload does not wait for timers), through a temporary file, so a reader never sees half of it. */
  save(sessionKey: string, entries: TranscriptEntry[]): void {
    const file = this.file(sessionKey);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(temporary, newestThatFit(entries));
      fs.renameSync(temporary, file);
    } catch (error) {
      this.log.warn(`could not save the transcript to ${file}: ${error}`);
    }
  }

  private file(sessionKey: string): string {
    return path.join(this.dir, `${createHash('sha256').update(sessionKey).digest('hex').slice(0, 32)}.json`);
  }
}

function newestThatFit(entries: TranscriptEntry[]): string {
  const kept: string[] = [];
  let size = 2;
  for (let i = entries.length - 1; i >= 0; i--) {
    const json = JSON.stringify(entries[i]);
    if ((size += json.length + 1) > SAVED_TRANSCRIPT_CHARS) break;
    kept.push(json);
  }
  return `[${kept.reverse().join(',')}]`;
}
