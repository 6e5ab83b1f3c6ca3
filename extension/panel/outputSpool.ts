// Keeps each entry's complete output in a file, and opens it as a read-only document ("Open full output").
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OutputSpool } from './recorder';

export const FULL_OUTPUT_SCHEME = 'pydock-output';

export class FileOutputSpool implements OutputSpool, vscode.TextDocumentContentProvider, vscode.Disposable {
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

  /** Opens an entry's output; false when nothing was kept for it. */
  async open(entryId: string, title: string): Promise<boolean> {
    if (!fs.existsSync(this.file(entryId))) return false;
    const uri = vscode.Uri.from({ scheme: FULL_OUTPUT_SCHEME, path: `/${title.replace(/[\\/]/g, '_')}.log`, query: entryId });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    return true;
  }

  /** What has been written so far: a run still going shows its output up to now. */
  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return fs.promises.readFile(this.file(uri.query), 'utf8');
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
