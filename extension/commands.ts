// The command palette commands, registered from one map; each says why it cannot run when it cannot.
import * as vscode from 'vscode';
import { selectionOrLine, type CodeToRun } from './editorCode';
import { PydockError, errorMessage } from './engine/errors';
import type { Session } from './engine/session';
import type { RunReporter } from './runReporter';
import type { WorkspaceSessions } from './workspaceSessions';

export interface CommandContext {
  sessions: WorkspaceSessions;
  reporter: RunReporter;
  showLog(): void;
}

type Command = (ctx: CommandContext) => Promise<unknown> | unknown;

export const COMMANDS: Record<string, Command> = {
  'pydock.runSelection': (ctx) => runFromEditor(ctx, (editor) =>
    selectionOrLine(lines(editor.document), editor.selection)),
  'pydock.runFile': (ctx) => runFromEditor(ctx, (editor) => ({ code: editor.document.getText(), line: 1 })),
  'pydock.interrupt': (ctx) => interrupt(ctx),
  'pydock.restart': (ctx) => withSession(ctx, 'Restarting the Python session', (s) => s.restart()),
  'pydock.stop': (ctx) => withSession(ctx, 'Stopping the Python session', (s) => s.stop()),
  'pydock.showLog': (ctx) => ctx.showLog(),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, command]) => vscode.commands.registerCommand(id, async () => {
    try {
      return await command(ctx);
    } catch (error) {
      await showError(error, ctx);
    }
  }));
}

async function runFromEditor(ctx: CommandContext, pick: (editor: vscode.TextEditor) => CodeToRun): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Open a Python file and put the cursor on the code to run.');
    return;
  }
  const { code, line } = pick(editor);
  if (!code.trim()) return;
  const session = ctx.sessions.forDocument(editor.document.uri);
  await ctx.reporter.run(session, code, { file: editor.document.uri.scheme === 'file' ? editor.document.uri.fsPath : editor.document.uri.toString(), line });
}

async function interrupt(ctx: CommandContext): Promise<void> {
  const session = ctx.sessions.active();
  if (!session) return;
  if ((await session.interrupt()) === 'ignored') {
    const choice = await vscode.window.showWarningMessage(
      'The code did not stop within a second: it may be in C code that does not check for interrupts, or SIGINT is ignored.',
      'Restart Session', 'Keep Waiting');
    if (choice === 'Restart Session') await session.restart();
  }
}

async function withSession(ctx: CommandContext, title: string, action: (session: Session) => Promise<void>): Promise<void> {
  const session = ctx.sessions.active() ?? ctx.sessions.forDocument(vscode.window.activeTextEditor?.document.uri);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => action(session));
}

function lines(document: vscode.TextDocument): string[] {
  return Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
}

export async function showError(error: unknown, ctx: CommandContext): Promise<void> {
  const message = error instanceof PydockError ? [error.message, error.hint].filter(Boolean).join(' ') : errorMessage(error);
  const actions = error instanceof PydockError && error.code === 'untrusted' ? ['Manage Workspace Trust', 'Show Log'] : ['Show Log'];
  const choice = await vscode.window.showErrorMessage(`pydock: ${message}`, ...actions);
  if (choice === 'Show Log') ctx.showLog();
  if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
}
