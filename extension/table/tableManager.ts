// Opens table viewers (from a result preview, a variable, or an expression) and tells them when their variable changes.
import * as vscode from 'vscode';
import type { Session } from '../engine/session/session';
import type { WorkspaceSessions } from '../workspaceSessions';
import { TABLE_VIEW_TYPE, TablePanel } from './tablePanel';

export class TableManager implements vscode.Disposable {
  private readonly open = new Set<{ panel: TablePanel; session: Session }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly sessions: WorkspaceSessions) {
    // After a run, a viewer whose variable changed shows old data: say so (the viewer refreshes by itself if set to).
    this.disposables.push(sessions.onDidChangeState(({ session, state }) => {
      if (state !== 'idle') return;
      for (const view of this.open) if (view.session === session) void view.panel.checkStale();
    }));
  }

  openResult(session: Session, ref: number, title: string): Promise<void> {
    return this.show(session, { type: 'table.open', ref }, title);
  }

  openExpression(session: Session, expr: string): Promise<void> {
    return this.show(session, { type: 'table.open', expr }, expr, expr);
  }

  private async show(session: Session, request: { type: 'table.open'; ref?: number; expr?: string }, title: string, expr?: string): Promise<void> {
    const schema = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `pydock: opening ${title}` },
      () => session.inspect(request));
    // In the main editor group: the session panel, usually beside it, stays in view.
    const webview = vscode.window.createWebviewPanel(TABLE_VIEW_TYPE, `${title} (${schema.totalRows.toLocaleString()} rows)`,
      vscode.ViewColumn.One, { retainContextWhenHidden: true });
    const panel = new TablePanel(webview, this.extensionUri, { session, schema, title, expr, workspaceFolder: this.sessions.folderOf(session) });
    const view = { panel, session };
    this.open.add(view);
    webview.onDidDispose(() => this.open.delete(view));
  }

  dispose(): void {
    for (const view of this.open) view.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
