// One table viewer: a webview over an agent table handle. The data stays in the container; this asks for pages.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKSPACE_IN_CONTAINER } from '../engine/docker/containerSpec';
import type { ColumnProfile, TableRows, TableSchema } from '../engine/protocol';
import type { Session } from '../engine/session';
import type { Channel } from '../../webview/shared/messaging';
import type { TableFromWebview, TableToWebview } from '../../webview/shared/protocol';
import { setupWebview, webviewChannel } from '../webviewPort';

export const TABLE_VIEW_TYPE = 'pydock.table';

export interface TableSource {
  session: Session;
  schema: TableSchema;
  title: string;
  /** The expression it was opened from, for "copy as code" and refreshing; absent for a result preview. */
  expr?: string;
  /** The local folder the container sees at /workspace, for export. */
  workspaceFolder?: string;
}

export class TablePanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: Channel<TableFromWebview, TableToWebview>;
  private readonly running = new Map<number, AbortController>();
  private handle: number;
  private disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly source: TableSource) {
    this.handle = source.schema.handle;
    setupWebview(panel.webview, extensionUri, 'table', source.title);
    this.channel = webviewChannel<TableFromWebview, TableToWebview>(panel.webview, this.disposables);
    this.channel.handle((message, messageId) => this.receive(message, messageId));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      source.session.onDidChangeState((state) => {
        if (state === 'dead' || state === 'stopped') this.channel.send({ type: 'table.closed', reason: `The session ${state === 'dead' ? 'died' : 'stopped'}; its data is gone.` });
      }),
    );
  }

  /** After a run: asks the agent whether the variable changed, and if so tells the viewer (which may refresh itself). */
  async checkStale(): Promise<void> {
    if (!this.source.expr || this.disposed) return;
    const changed = await this.source.session.inspect<boolean>({ type: 'table.changed', handle: this.handle }).catch(() => false);
    if (changed) this.channel.send({ type: 'table.stale', reason: this.source.expr });
  }

  private async receive(message: TableFromWebview, messageId: number): Promise<unknown> {
    const { session } = this.source;
    const ask = <T>(request: Parameters<Session['inspect']>[0]) => {
      const controller = new AbortController();
      this.running.set(messageId, controller);
      return session.inspect<T>(request, { signal: controller.signal }).finally(() => this.running.delete(messageId));
    };
    const handle = this.handle;
    switch (message.type) {
      case 'table.ready':
        this.channel.send({ type: 'table.init', title: this.source.title, schema: this.source.schema, settings: { autoRefresh: autoRefresh() } });
        return undefined;
      case 'table.rows':
        return ask<TableRows>({ type: 'table.rows', handle, start: message.start, end: message.end, ...(message.columns ? { columns: message.columns } : {}) });
      case 'table.cell':
        return ask<string>({ type: 'table.cell', handle, row: message.row, column: message.column });
      case 'table.sort':
        return ask<TableSchema>({ type: 'table.sort', handle, keys: message.keys });
      case 'table.filter':
        return ask<TableSchema>({ type: 'table.filter', handle, filters: message.filters, search: message.search });
      case 'table.profile':
        return ask<ColumnProfile>({ type: 'table.profile', handle, column: message.column });
      case 'table.cancel':
        this.running.get(message.request)?.abort();
        return undefined;
      case 'table.export':
        return this.export(message.format, ask);
      case 'table.copyCode': {
        const name = this.source.expr ?? (/^[A-Za-z_]\w*$/.test(this.source.title) ? this.source.title : '_');
        const code = await ask<string>({ type: 'table.code', handle, name });
        await vscode.env.clipboard.writeText(code);
        void vscode.window.setStatusBarMessage('pydock: copied the code that reproduces this view', 3000);
        return undefined;
      }
      case 'table.copy':
        await vscode.env.clipboard.writeText(message.text);
        return undefined;
      case 'table.refresh':
        await this.refresh();
        return undefined;
      default: {
        const unknown: never = message;
        throw new Error(`unknown table message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Asks where to save; the agent writes the file, so the path must be one the container can see. */
  private async export(format: 'csv' | 'tsv', ask: <T>(request: Parameters<Session['inspect']>[0]) => Promise<T>): Promise<string | null> {
    const folder = this.source.workspaceFolder;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(folder ?? process.cwd(), `${safeName(this.source.title)}.${format}`)),
      filters: { [format.toUpperCase()]: [format] },
      title: 'Export the table view',
    });
    if (!target) return null;
    const local = target.fsPath;
    const docker = this.source.session.backendKind === 'docker';
    if (docker && (!folder || path.relative(folder, local).startsWith('..'))) {
      throw new Error(`Choose a file inside the workspace folder${folder ? ` (${folder})` : ''}: it is the only folder the container can write to.`);
    }
    const inContainer = docker ? path.posix.join(WORKSPACE_IN_CONTAINER, ...path.relative(folder!, local).split(path.sep)) : local;
    await ask({ type: 'table.export', handle: this.handle, path: inContainer, format });
    return local;
  }

  /** Opens the expression again and gives the viewer the new schema. */
  private async refresh(): Promise<void> {
    if (!this.source.expr) throw new Error('This table came from a result, not a variable: run the code again to see new data.');
    const schema = await this.source.session.inspect<TableSchema>({ type: 'table.open', expr: this.source.expr });
    void this.source.session.inspect({ type: 'table.release', handle: this.handle }).catch(() => undefined);
    this.handle = schema.handle;
    this.channel.send({ type: 'table.schema', schema });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const controller of this.running.values()) controller.abort();
    this.channel.failAll('the table viewer was closed');
    const { session } = this.source;
    if (session.state === 'idle' || session.state === 'busy') void session.inspect({ type: 'table.release', handle: this.handle }).catch(() => undefined);
    for (const d of this.disposables) d.dispose();
  }
}

function autoRefresh(): boolean {
  return vscode.workspace.getConfiguration('pydock').get<boolean>('table.autoRefresh', false);
}

function safeName(title: string): string {
  return title.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'table';
}
