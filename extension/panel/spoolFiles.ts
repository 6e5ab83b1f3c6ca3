// Writes each transcript entry's output to a file of its own, for "Open full output". No vscode import, so tests
// drive it directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OutputSpool } from './recorder';

export class SpoolFiles implements OutputSpool {
  private readonly writers = new Map<string, fs.WriteStream>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(entryId: string, _name: 'stdout' | 'stderr', text: string): void {
    let writer = this.writers.get(entryId);
    if (!writer) {
      writer = fs.createWriteStream(this.file(entryId), { flags: 'a' });
      writer.on('error', () => undefined); // a full disk loses the spool, not the run
      this.writers.set(entryId, writer);
    }
    writer.write(text);
  }

  end(entryId: string): void {
    this.writers.get(entryId)?.end();
    this.writers.delete(entryId);
  }

  /** Whether anything was kept for the entry. */
  has(entryId: string): boolean {
    return fs.existsSync(this.file(entryId));
  }

  /** What has been written so far: a run still going shows its output up to now. */
  read(entryId: string): Promise<string> {
    return fs.promises.readFile(this.file(entryId), 'utf8');
  }

  /** Deletes the spools of entries no longer in any transcript. */
  keepOnly(entryIds: Set<string>): void {
    for (const name of fs.readdirSync(this.dir)) {
      const id = name.replace(/\.log$/, '');
      if (!entryIds.has(id) && !this.writers.has(id)) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  private file(entryId: string): string {
    return path.join(this.dir, `${entryId.replace(/[^\w.-]/g, '_')}.log`);
  }

  dispose(): void {
    for (const writer of this.writers.values()) writer.end();
    this.writers.clear();
  }
}
