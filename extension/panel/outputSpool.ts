// Keeps each entry's output in a file (SpoolFiles), and opens it as a read-only document ("Open full output").
import * as vscode from 'vscode';
import { SpoolFiles } from './spoolFiles';

export const FULL_OUTPUT_SCHEME = 'pydock-output';

export class FileOutputSpool extends SpoolFiles implements vscode.TextDocumentContentProvider, vscode.Disposable {
  /** Opens an entry's output; false when nothing was kept for it. */
  async open(entryId: string, title: string): Promise<boolean> {
    if (!this.has(entryId)) return false;
    const uri = vscode.Uri.from({ scheme: FULL_OUTPUT_SCHEME, path: `/${title.replace(/[\\/]/g, '_')}.log`, query: entryId });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    return true;
  }

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return this.read(uri.query);
  }
}
