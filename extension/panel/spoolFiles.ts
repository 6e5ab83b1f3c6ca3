// Writes each transcript entry's output to a file of its own, for "Open full output": the head goes to disk, the tail
// waits in memory until the entry ends, and a line says what was dropped between them. No vscode import.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeadTail, TEXT, type HeadTailLimits } from '../engine/session/headTail';
import { droppedLine } from '../engine/session/runOutput';
import type { OutputSpool } from './recorder';

/** Characters of an entry's output kept from its start (on disk) and from its end (in memory until it ends). */
export const SPOOL_LIMITS: HeadTailLimits = { head: 32 << 20, tail: 8 << 20 };

interface Spooling {
  writer: fs.WriteStream;
  kept: HeadTail<string>;
  /** The head's last character, so the dropped line starts on a line of its own. */
  headEnd: string;
}

export class SpoolFiles implements OutputSpool {
  private readonly spooling = new Map<string, Spooling>();

  constructor(private readonly dir: string, private readonly limits = SPOOL_LIMITS) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(entryId: string, _name: 'stdout' | 'stderr', text: string): void {
    let entry = this.spooling.get(entryId);
    if (!entry) {
      const writer = fs.createWriteStream(this.file(entryId), { flags: 'a' });
      writer.on('error', () => undefined); // a full disk loses the spool, not the run
      const started: Spooling = {
        writer, headEnd: '',
        kept: new HeadTail(this.limits, TEXT, (head) => {
          writer.write(head);
          started.headEnd = head.slice(-1);
        }),
      };
      this.spooling.set(entryId, entry = started);
    }
    entry.kept.add(text);
  }

  /** The entry's output is complete: its tail follows the head on disk. Resolves once the file is written. */
  end(entryId: string): Promise<void> {
    const entry = this.spooling.get(entryId);
    if (!entry) return Promise.resolve();
    this.spooling.delete(entryId);
    return new Promise((resolve) => {
      entry.writer.once('close', resolve);
      entry.writer.end(tailOf(entry));
    });
  }

  /** Whether anything was kept for the entry. */
  has(entryId: string): boolean {
    return this.spooling.has(entryId) || fs.existsSync(this.file(entryId));
  }

  /** What has been written so far: a run still going shows its output up to now. */
  async read(entryId: string): Promise<string> {
    const entry = this.spooling.get(entryId);
    if (entry) await new Promise((flushed) => entry.writer.write('', flushed)); // the head written so far is on disk
    const written = await fs.promises.readFile(this.file(entryId), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (entry && error.code === 'ENOENT') return ''; // still being opened
      throw error;
    });
    return entry ? written + tailOf(entry) : written;
  }

  /** Deletes the spools of entries no longer in any transcript. */
  keepOnly(entryIds: Set<string>): void {
    for (const name of fs.readdirSync(this.dir)) {
      const id = name.replace(/\.log$/, '');
      if (!entryIds.has(id) && !this.spooling.has(id)) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  private file(entryId: string): string {
    return path.join(this.dir, `${entryId.replace(/[^\w.-]/g, '_')}.log`);
  }

  dispose(): void {
    for (const entryId of [...this.spooling.keys()]) void this.end(entryId);
  }
}

/** What follows the head on disk: the dropped line, if anything was, and the tail. */
function tailOf({ kept, headEnd }: Spooling): string {
  const tail = kept.tailItems().join('');
  return kept.dropped ? droppedLine(headEnd, kept.dropped) + tail : tail;
}
