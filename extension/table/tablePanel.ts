// One table viewer: a webview over an agent table handle. The data stays in the container; this asks for pages, and
// keeps the tab's title on what the view shows.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKSPACE_IN_CONTAINER } from '../engine/launch/containerDefaults';
import type { InspectBody, InspectReplies, TableSchema } from '../../shared/agentProtocol';
import type { Session } from '../engine/session/session';
import { tableTitle, type TableLabel } from '../../shared/tableTitle';
import type { Channel } from '../../shared/messaging';
import type { FromTable, TableFromWebview, TableViewSettings, ToTable } from '../../shared/webviewProtocol';
import { Config } from '../config';
import { setupWebview, showEventFailure, webviewChannel } from '../webviewPort';

export const TABLE_VIEW_TYPE = 'pydock.table';

export interface TableSource {
  session: Session;
  schema: TableSchema;
  label: TableLabel;
  /** The expression it was opened from (or follows), for "copy as code" and refreshing; absent for a snapshot of a result. */
  expr?: string;
  /** The local folder the container sees at /workspace, for export. */
  workspaceFolder?: string;
}

export class TablePanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: Channel<FromTable, ToTable>;
  private readonly running = new Map<number, AbortController>();
  private readonly handle: number;
  private schema: TableSchema;
  private disposed = false;
  /** The page has said table.ready: events sent before it would be lost. */
  private ready = false;
  /** A change found before the page was ready, told once it is. */
  private staleBeforeReady: string | undefined;

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly source: TableSource) {
    this.handle = source.schema.handle;
    this.schema = source.schema;
    setupWebview(panel.webview, extensionUri, 'table', source.label.name);
    this.showTitle(source.schema);
    this.channel = webviewChannel<FromTable, ToTable>(panel.webview, this.disposables);
    this.channel.handle({
      event: (message) => this.receive(message),
      eventFailed: (message, error) => showEventFailure(`the table viewer's ${message.type}`, error),
      requests: {
        'table.rows': ({ start, end, columns }, id) =>
          this.ask(id, { type: 'table.rows', handle: this.handle, start, end, ...(columns ? { columns } : {}), numbers: new Config().numbers }),
        'table.cell': ({ row, column }, id) => this.ask(id, { type: 'table.cell', handle: this.handle, row, column }),
        'table.sort': ({ keys }, id) => this.ask(id, { type: 'table.sort', handle: this.handle, keys }).then((s) => this.showTitle(s)),
        'table.filter': ({ filters, search, limit }, id) => this.ask(id, {
          type: 'table.filter', handle: this.handle, filters, search, ...(limit ? { limit } : {}),
        }).then((s) => this.showTitle(s)),
        'table.profile': ({ column }, id) => this.ask(id, { type: 'table.profile', handle: this.handle, column, numbers: new Config().numbers }),
        'table.summary': ({ column }, id) => this.ask(id, { type: 'table.summary', handle: this.handle, column, numbers: new Config().numbers }),
        'table.export': ({ format }, id) => this.export(format, id),
        'table.copyCode': (_, id) => this.copyCode(id),
        'table.copy': async ({ text }) => { await vscode.env.clipboard.writeText(text); },
        'table.refresh': (_, id) => this.refresh(id),
      },
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Config.affectsNumbers(event)) this.channel.send({ type: 'table.reformat' });
      }),
      source.session.onDidChangeState((state) => {
        if (state === 'dead' || state === 'stopped') this.channel.send({ type: 'table.closed', reason: `The session ${state === 'dead' ? 'died' : 'stopped'}; its data is gone.` });
      }),
    );
  }

  /** After a run: asks the agent whether a live view's source changed, and if so tells the viewer (which refreshes). */
  async checkStale(): Promise<void> {
    const followed = this.schema.source;
    if (followed === undefined || this.disposed) return;
    const changed = await this.source.session.inspect({ type: 'table.changed', handle: this.handle }).catch(() => false);
    if (!changed || this.disposed) return;
    if (this.ready) this.channel.send({ type: 'table.stale', reason: followed });
    else this.staleBeforeReady = followed;
  }

  /** Brings the viewer to the front (the same source opened again). */
  reveal(): void {
    this.panel.reveal();
  }

  /** The tab says what the view shows now: the source, the row count, and whether it is filtered or sorted. */
  private showTitle(schema: TableSchema): TableSchema {
    this.schema = schema;
    if (!this.disposed) this.panel.title = tableTitle(this.source.label, schema);
    return schema;
  }

  private receive(message: TableFromWebview): void {
    switch (message.type) {
      case 'table.ready':
        this.channel.send({
          type: 'table.init', title: this.source.label.name, snapshot: this.source.label.snapshot,
          refreshable: this.source.expr !== undefined, schema: this.schema, settings: viewSettings(),
        });
        this.ready = true;
        if (this.staleBeforeReady !== undefined) this.channel.send({ type: 'table.stale', reason: this.staleBeforeReady });
        this.staleBeforeReady = undefined;
        return;
      case 'table.cancel':
        this.running.get(message.request)?.abort();
        return;
      default: {
        const unknown: never = message;
        throw new Error(`unknown table message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Asks the agent on behalf of the viewer's request `messageId`, which table.cancel may name. */
  private ask<R extends InspectBody>(messageId: number, request: R): Promise<InspectReplies[R['type']]> {
    const controller = new AbortController();
    this.running.set(messageId, controller);
    return this.source.session.inspect(request, { signal: controller.signal }).finally(() => this.running.delete(messageId));
  }

  private async copyCode(messageId: number): Promise<void> {
    const name = this.source.expr ?? (/^[A-Za-z_]\w*$/.test(this.source.label.name) ? this.source.label.name : '_');
    const code = await this.ask(messageId, { type: 'table.code', handle: this.handle, name });
    await vscode.env.clipboard.writeText(code);
    void vscode.window.setStatusBarMessage('pydock: copied the code that reproduces this view', 3000);
  }

  /** Asks where to save; the agent writes the file, so the path must be one the container can see. */
  private async export(format: 'csv' | 'tsv', messageId: number): Promise<string | null> {
    const folder = this.source.workspaceFolder;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(folder ?? process.cwd(), `${safeName(this.source.label.name)}.${format}`)),
      filters: { [format.toUpperCase()]: [format] },
      title: 'Export the table view',
    });
    if (!target) return null;
    const local = target.fsPath;
    const docker = this.source.session.backendKind !== 'local'; // a container or a pod: it sees the workspace at /workspace
    if (docker && (!folder || path.relative(folder, local).startsWith('..'))) {
      throw new Error(`Choose a file inside the workspace folder${folder ? ` (${folder})` : ''}: it is the only folder the container can write to.`);
    }
    const inContainer = docker ? path.posix.join(WORKSPACE_IN_CONTAINER, ...path.relative(folder!, local).split(path.sep)) : local;
    await this.ask(messageId, { type: 'table.export', handle: this.handle, path: inContainer, format });
    return local;
  }

  /** Reads the source again into the same handle and view (sort, filters and search follow their columns). */
  private async refresh(messageId: number): Promise<TableSchema> {
    const expr = this.source.expr;
    if (!expr) throw new Error('This table is a snapshot of a result, not a variable: run the code again to see new data.');
    const schema = await this.ask(messageId, { type: 'table.refresh', handle: this.handle }).catch((error: Error) => {
      throw new Error(`${expr} could not be read again: ${error.message}. The view still shows the data as it was: define ${expr} again and retry, or close this viewer.`);
    });
    return this.showTitle(schema);
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

function viewSettings(): TableViewSettings {
  const config = vscode.workspace.getConfiguration('pydock');
  return { autoRefresh: config.get<boolean>('table.autoRefresh', true), summaries: config.get<boolean>('table.columnSummaries', true) };
}

function safeName(title: string): string {
  return title.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'table';
}
