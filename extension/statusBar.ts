// The status bar item: the active session's state, backend and image, with a spinner while busy; a click opens the panel.
import * as vscode from 'vscode';
import type { Session, SessionState } from './engine/session/session';
import type { WorkspaceSessions } from './workspaceSessions';

const ICONS: Record<SessionState, string> = {
  new: '$(circle-outline)',
  starting: '$(loading~spin)',
  idle: '$(circle-filled)',
  busy: '$(sync~spin)',
  dead: '$(error)',
  stopped: '$(circle-slash)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pydock.status', vscode.StatusBarAlignment.Left, 50);
  private readonly picker = vscode.window.createStatusBarItem('pydock.sessionPicker', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly sessions: WorkspaceSessions, private readonly command: string, pickCommand: string) {
    this.item.name = 'pydock session';
    this.picker.name = 'pydock session picker';
    this.picker.command = pickCommand;
    this.picker.tooltip = 'Switch the pydock session of this folder, or start a new named one';
    this.disposables = [
      this.item,
      this.picker,
      sessions.onDidChangeState(() => this.update()),
      sessions.onDidChangeActive(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    ];
    this.update();
    this.item.show();
    this.picker.show();
  }

  private update(): void {
    this.picker.text = `$(layers) ${this.sessions.activeNameHere()}`;
    if (!vscode.workspace.isTrusted) {
      this.item.text = '$(shield) pydock: Restricted Mode';
      this.item.tooltip = 'pydock runs Python only in trusted workspaces: click to manage Workspace Trust.';
      this.item.command = 'workbench.trust.manage';
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: 'pydock is off in Restricted Mode' };
      return;
    }
    this.item.command = this.command;
    const session = this.sessions.active();
    const state = session?.state ?? 'new';
    const kind = session?.backendKind;
    const unsandboxed = kind === 'local';
    const where = kind === 'docker' || kind === 'kubernetes' ? `${kind} (${session?.image})` : kind === 'local' ? 'local, not sandboxed' : '';
    this.item.text = `${ICONS[state]} pydock: ${state === 'new' ? 'no session' : state}${where ? ` · ${where}` : ''}`;
    this.item.tooltip = tooltip(session);
    this.item.backgroundColor = state === 'dead'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : unsandboxed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `pydock session ${state}` };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function tooltip(session: Session | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  if (!session || session.state === 'new') {
    md.appendMarkdown('No Python session yet: run code to start one.');
    return md;
  }
  md.appendMarkdown(`**${session.name}**: ${session.state}\n\n`);
  if (session.description) md.appendMarkdown(`${session.description}\n\n`);
  if (session.info) md.appendMarkdown(`Python ${session.info.python}\n\n`);
  if (session.deathCause) md.appendText(session.deathCause.message);
  return md;
}
