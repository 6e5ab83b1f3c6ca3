// One table viewer: a webview over an agent table handle. The data stays in the container; this asks for pages.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKSPACE_IN_CONTAINER } from '../engine/launch/containerDefaults';
import type { InspectBody, InspectReplies, TableSchema } from '../../shared/agentProtocol';
import type { Session } from '../engine/session/session';
import type { Channel } from '../../shared/messaging';
import type { FromTable, TableFromWebview, ToTable } from '../../shared/webviewProtocol';
import { Config } from '../config';
import { setupWebview, showEventFailure, webviewChannel } from '../webviewPort';

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
  private readonly channel: Channel<FromTable, ToTable>;
  private readonly running = new Map<number, AbortController>();
  private handle: number;
  private disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly source: TableSource) {
    this.handle = source.schema.handle;
    setupWebview(panel.webview, extensionUri, 'table', source.title);
    this.channel = webviewChannel<FromTable, ToTable>(panel.webview, this.disposables);
    this.channel.handle({
      event: (message) => this.receive(message),
      eventFailed: (message, error) => showEventFailure(`the table viewer's ${message.type}`, error),
      requests: {
        'table.rows': ({ start, end, columns }, id) =>
          this.ask(id, { type: 'table.rows', handle: this.handle, start, end, ...(columns ? { columns } : {}), numbers: new Config().numbers }),
        'table.cell': ({ row, column }, id) => this.ask(id, { type: 'table.cell', handle: this.handle, row, column }),
        'table.sort': ({ keys }, id) => this.ask(id, { type: 'table.sort', handle: this.handle, keys }),
        'table.filter': ({ filters, search }, id) => this.ask(id, { type: 'table.filter', handle: this.handle, filters, search }),
        'table.profile': ({ column }, id) => this.ask(id, { type: 'table.profile', handle: this.handle, column, numbers: new Config().numbers }),
        'table.export': ({ format }, id) => this.export(format, id),
        'table.copyCode': (_, id) => this.copyCode(id),
        'table.copy': async ({ text }) => { await vscode.env.clipboard.writeText(text); },
        'table.refresh': () => this.refresh(),
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

  /** After a run: asks the agent whether the variable changed, and if so tells the viewer (which may refresh itself). */
  async checkStale(): Promise<void> {
    if (!this.source.expr || this.disposed) return;
    const changed = await this.source.session.inspect({ type: 'table.changed', handle: this.handle }).catch(() => false);
    if (changed) this.channel.send({ type: 'table.stale', reason: this.source.expr });
  }

  private receive(message: TableFromWebview): void {
    switch (message.type) {
      case 'table.ready':
        this.channel.send({ type: 'table.init', title: this.source.title, schema: this.source.schema, settings: { autoRefresh: autoRefresh() } });
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
    const name = this.source.expr ?? (/^[A-Za-z_]\w*$/.test(this.source.title) ? this.source.title : '_');
    const code = await this.ask(messageId, { type: 'table.code', handle: this.handle, name });
    await vscode.env.clipboard.writeText(code);
    void vscode.window.setStatusBarMessage('pydock: copied the code that reproduces this view', 3000);
  }

  /** Asks where to save; the agent writes the file, so the path must be one the container can see. */
  private async export(format: 'csv' | 'tsv', messageId: number): Promise<string | null> {
    const folder = this.source.workspaceFolder;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(folder ?? process.cwd(), `${safeName(this.source.title)}.${format}`)),
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

  /** Opens the expression again and gives the viewer the new schema; the old handle goes once the new one is open. */
  private async refresh(): Promise<TableSchema> {
    const expr = this.source.expr;
    if (!expr) throw new Error('This table came from a result, not a variable: run the code again to see new data.');
    const schema = await this.source.session.inspect({ type: 'table.open', expr }).catch((error: Error) => {
      throw new Error(`${expr} could not be read again: ${error.message}. The view still shows the data as it was: define ${expr} again and retry, or close this viewer.`);
    });
    void this.source.session.inspect({ type: 'table.release', handle: this.handle }).catch(() => undefined);
    this.handle = schema.handle;
    return schema;
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
