// Opens table viewers (from a result preview, a variable, or an expression), one per source: opening the same source
// again brings its viewer to the front. After each run, live viewers whose source changed are told.
import * as vscode from 'vscode';
import type { InspectBody, TableSchema } from '../../shared/agentProtocol';
import type { Session } from '../engine/session/session';
import type { TableLabel } from '../../shared/tableTitle';
import type { WorkspaceSessions } from '../workspaceSessions';
import { TABLE_VIEW_TYPE, TablePanel } from './tablePanel';

/** Where a result came from: "In [7]", and the name its cell ended in (`df`), which a viewer of it follows. */
export interface ResultOrigin {
  label: string;
  bind?: string;
}

interface OpenView {
  panel: TablePanel;
  session: Session;
  key: string;
}

type OpenRequest = Extract<InspectBody, { type: 'table.open' }>;

export class TableManager implements vscode.Disposable {
  private readonly open = new Set<OpenView>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly sessions: WorkspaceSessions) {
    // After a run, a live viewer whose source changed shows old data: it refreshes (or offers to).
    this.disposables.push(sessions.onDidChangeState(({ session, state }) => {
      if (state !== 'idle') return;
      for (const view of this.open) if (view.session === session) void view.panel.checkStale();
    }));
  }

  openResult(session: Session, ref: number, origin: ResultOrigin): Promise<void> {
    const request: OpenRequest = { type: 'table.open', ref, ...(origin.bind ? { bind: origin.bind } : {}) };
    return this.show(session, request, origin.label);
  }

  openExpression(session: Session, expr: string): Promise<void> {
    return this.show(session, { type: 'table.open', expr }, expr, expr);
  }

  private async show(session: Session, request: OpenRequest, name: string, expr?: string): Promise<void> {
    const schema = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `pydock: opening ${name}` },
      () => session.inspect(request));
    const key = sourceKey(schema, request);
    const existing = [...this.open].find((view) => view.session === session && view.key === key);
    if (existing) {
      void session.inspect({ type: 'table.release', handle: schema.handle }).catch(() => undefined);
      existing.panel.reveal();
      return;
    }
    const label: TableLabel = { name: schema.source ?? name, snapshot: schema.source === undefined };
    // In the main editor group: the session panel, usually beside it, stays in view.
    const webview = vscode.window.createWebviewPanel(TABLE_VIEW_TYPE, label.name, vscode.ViewColumn.One, { retainContextWhenHidden: true });
    const panel = new TablePanel(webview, this.extensionUri, {
      session, schema, label, expr: schema.source ?? expr, workspaceFolder: this.sessions.folderOf(session),
    });
    const view = { panel, session, key };
    this.open.add(view);
    webview.onDidDispose(() => this.open.delete(view));
  }

  dispose(): void {
    for (const view of this.open) view.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** What makes two opens the same viewer: the name a live view follows, else the result or the expression. */
function sourceKey(schema: TableSchema, request: OpenRequest): string {
  if (schema.source !== undefined) return `source:${schema.source}`;
  return request.ref !== undefined ? `result:${request.ref}` : `expr:${request.expr?.trim()}`;
}
