// The interactive session panel of one session: a webview showing its transcript, with a toolbar and REPL input.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKSPACE_IN_CONTAINER } from '../engine/launch/containerDefaults';
import type { Session } from '../engine/session/session';
import type { ResultOrigin } from '../table/tableManager';
import type { Channel } from '../../shared/messaging';
import type { FromPanel, PanelFromWebview, ReplSuggestion, SessionView, ToPanel, PanelSettings } from '../../shared/webviewProtocol';
import type { EntryUpdate } from '../../shared/transcript';
import type { PlotRef } from '../../shared/plots';
import { Config } from '../config';
import { setupWebview, showEventFailure, webviewChannel } from '../webviewPort';
import type { Recorder } from './recorder';

export const PANEL_VIEW_TYPE = 'pydock.session';

/** What each of the panel's events does, to say which failed. */
const PANEL_ACTIONS: { [K in PanelFromWebview['type']]: string } = {
  'panel.ready': 'showing the transcript',
  'panel.run': 'running the input',
  'panel.interrupt': 'interrupting the session',
  'panel.restart': 'restarting the session',
  'panel.clear': 'clearing the transcript',
  'panel.openLocation': 'opening the file',
  'panel.openTable': 'opening the table',
  'panel.openFullOutput': 'opening the full output',
  'panel.copy': 'copying',
  'panel.plot': 'the plot action',
  'panel.collapse': 'collapsing the entry',
};

export type PanelPlotAction = Extract<PanelFromWebview, { type: 'panel.plot' }>['action'];

/** What the panel asks of the rest of the extension. */
export interface PanelHost {
  /** The session's key (WorkspaceSessions.keyOf), saved by the webview for the reload serializer. */
  sessionKey: string;
  runRepl(code: string): Promise<void>;
  history(): string[];
  /** Live completions of the REPL input from the session's language server. */
  complete(code: string, offset: number): Promise<ReplSuggestion[]>;
  interrupt(): Promise<void>;
  restart(): Promise<void>;
  clear(): void;
  openFullOutput(entryId: string): Promise<void>;
  openTable(ref: number, origin: ResultOrigin): Promise<void>;
  /** Opens a plot of the transcript in the plot viewer, or saves it. */
  plot(ref: PlotRef, action: PanelPlotAction): Promise<void>;
  /** The workspace folder mounted at /workspace, for traceback links into the container. */
  workspaceFolder(): string | undefined;
}

export class SessionPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: Channel<FromPanel, ToPanel>;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly session: Session,
    private readonly recorder: Recorder,
    private readonly host: PanelHost,
  ) {
    setupWebview(panel.webview, extensionUri, 'panel', panel.title);
    this.channel = webviewChannel<FromPanel, ToPanel>(panel.webview, this.disposables);
    this.channel.handle({
      event: (message) => this.receive(message),
      eventFailed: (message, error) => showEventFailure(PANEL_ACTIONS[message.type], error),
      requests: {
        'panel.history': () => this.host.history(),
        'panel.complete': ({ code, offset }) => this.host.complete(code, offset),
      },
    });
    this.disposables.push(
      session.onDidChangeState(() => this.channel.send({ type: 'panel.session', session: sessionView(session, this.host.sessionKey) })),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('pydock.output')) this.channel.send({ type: 'panel.settings', settings: panelSettings() });
      }),
    );
  }

  update(update: EntryUpdate): void {
    this.channel.send({ type: 'panel.update', update });
  }

  cleared(): void {
    this.channel.send({ type: 'panel.cleared' });
  }

  /** Shows the panel without hiding the editor whose code runs: beside it when they share an editor group. */
  reveal(preserveFocus: boolean): void {
    if (this.panel.visible && preserveFocus) return;
    const editorColumn = vscode.window.activeTextEditor?.viewColumn;
    this.panel.reveal(editorColumn !== undefined && editorColumn === this.panel.viewColumn ? vscode.ViewColumn.Beside : undefined, preserveFocus);
  }

  private async receive(message: PanelFromWebview): Promise<void> {
    switch (message.type) {
      case 'panel.ready':
        this.channel.send({
          type: 'panel.init', session: sessionView(this.session, this.host.sessionKey), entries: this.recorder.entries, settings: panelSettings(),
        });
        return;
      case 'panel.run':
        void this.host.runRepl(message.code);
        return;
      case 'panel.interrupt':
        return this.host.interrupt();
      case 'panel.restart':
        return this.host.restart();
      case 'panel.clear':
        return this.host.clear();
      case 'panel.openLocation':
        return this.openLocation(message.file, message.line);
      case 'panel.openTable': {
        const entry = this.recorder.entries.find((e) => e.id === message.entryId);
        return this.host.openTable(message.ref, entry ? resultOrigin(entry.code, entry.count) : { label: 'result' });
      }
      case 'panel.openFullOutput':
        return this.host.openFullOutput(message.entryId);
      case 'panel.copy':
        return vscode.env.clipboard.writeText(message.text);
      case 'panel.plot':
        return this.host.plot({ entryId: message.entryId, index: message.index }, message.action);
      case 'panel.collapse':
        return this.recorder.apply({ type: 'collapse', id: message.entryId, collapsed: message.collapsed });
      default: {
        const unknown: never = message;
        throw new Error(`unknown panel message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Traceback paths are host paths, or container paths under /workspace that map back to the folder. */
  private async openLocation(file: string, line: number): Promise<void> {
    const folder = this.host.workspaceFolder();
    const prefix = `${WORKSPACE_IN_CONTAINER}/`;
    const hostPath = folder && file.startsWith(prefix) ? path.join(folder, file.slice(prefix.length)) : file;
    const uri = /^[a-z][\w+.-]*:/i.test(hostPath) && !/^[a-z]:\\/i.test(hostPath) ? vscode.Uri.parse(hostPath) : vscode.Uri.file(hostPath);
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    try {
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
    } catch {
      void vscode.window.showWarningMessage(`pydock: ${file} is not a file on this machine (it may exist only inside the container).`);
    }
  }

  dispose(): void {
    this.channel.failAll('the panel was closed');
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.closed.fire();
    this.closed.dispose();
  }
}

function panelSettings(): PanelSettings {
  return { outputLineLimit: new Config().outputLineLimit };
}

/** Where a result came from, for its viewer: In [n], and the name the cell ended in (`df`, `obj.attr`) to follow. */
export function resultOrigin(code: string, count: number): ResultOrigin {
  const last = code.trim().split('\n').pop()?.trim() ?? '';
  return { label: `In [${count}]`, ...(/^[A-Za-z_][\w.]*$/.test(last) ? { bind: last } : {}) };
}

export function sessionView(session: Session, key: string): SessionView {
  const parts = [session.backendKind === 'local' ? 'local (not sandboxed)' : session.backendKind, session.image, session.info && `Python ${session.info.python}`];
  return {
    key,
    name: session.name,
    state: session.state,
    description: parts.filter(Boolean).join(' · '),
    ...(session.state === 'dead' && session.deathCause ? { problem: session.deathCause.message } : {}),
  };
}
