// The commands, registered from one map; each says why it cannot run when it cannot.
import * as vscode from 'vscode';
import { currentCell, cellsOf } from './cellEditor';
import type { Cell } from './codeCells';
import { manageContainers } from './containersCommand';
import { selectionOrLine, type CodeToRun } from './editorCode';
import { debugCode, debugFile } from './debug/debugging';
import { chooseEnvironmentCommand } from './environmentChooser';
import { prepareEnvironment, pullImage } from './imageCommands';
import type { Logger } from './engine/log';
import { PydockError, errorMessage } from './engine/errors';
import type { Session } from './engine/session/session';
import type { VariableInfo } from '../shared/agentProtocol';
import type { PanelManager } from './panel/panelManager';
import type { TableManager } from './table/tableManager';
import type { VariablesView } from './variables/variablesView';
import { checkDockerCommand, runFirstCell } from './walkthrough';
import type { WorkspaceSessions } from './workspaceSessions';

export interface CommandContext {
  sessions: WorkspaceSessions;
  /** Records runs in the session panel. */
  panels: PanelManager;
  tables: TableManager;
  variables: VariablesView;
  log: Logger;
  /** The workspace's memory: approved environments among it. */
  workspaceState: vscode.Memento;
  showLog(): void;
}

type Command = (ctx: CommandContext, ...args: unknown[]) => Promise<unknown> | unknown;

export const COMMANDS: Record<string, Command> = {
  'pydock.runSelection': (ctx) => withEditor((editor) => runPieces(ctx, editor, [selectionOrLine(lines(editor.document), editor.selection)])),
  'pydock.runFile': (ctx) => withEditor((editor) => runPieces(ctx, editor, [{ code: editor.document.getText(), line: 1 }])),
  'pydock.runCell': (ctx, uri, line) => withEditor((editor) => runPieces(ctx, editor, [selectionOrCell(editor, line)]), uri),
  'pydock.runCellAndAdvance': (ctx) => withEditor(async (editor) => {
    const piece = selectionOrCell(editor);
    await moveToNextCell(editor);
    return runPieces(ctx, editor, [piece]);
  }),
  'pydock.runAbove': (ctx, uri, line) => withEditor((editor) => runPieces(ctx, editor, cellsAround(editor, line, 'above')), uri),
  'pydock.runBelow': (ctx, uri, line) => withEditor((editor) => runPieces(ctx, editor, cellsAround(editor, line, 'below')), uri),
  'pydock.debugCell': (_ctx, uri, line) => withEditor((editor) => debugPiece(editor, selectionOrCell(editor, line), 'Cell'), uri),
  'pydock.debugSelection': () => withEditor((editor) => debugPiece(editor, selectionOrLine(lines(editor.document), editor.selection), 'Selection')),
  'pydock.debugFile': () => withEditor((editor) => debugFile(editor.document)),
  'pydock.showPanel': (ctx) => ctx.panels.show(activeSession(ctx)),
  'pydock.newSession': (ctx) => newSession(ctx),
  'pydock.pickSession': (ctx) => pickSession(ctx),
  'pydock.viewTable': (ctx) => viewTable(ctx),
  'pydock.variables.viewAsTable': (ctx, node) => ctx.tables.openExpression(activeSession(ctx), (node as VariableInfo).expr),
  'pydock.variables.showAll': (ctx) => ctx.variables.toggleFilter(),
  'pydock.variables.hideSome': (ctx) => ctx.variables.toggleFilter(),
  'pydock.variables.refresh': (ctx) => ctx.variables.refreshSoon(),
  'pydock.interrupt': (ctx) => interrupt(ctx),
  'pydock.restart': (ctx) => withProgress('Restarting the Python session', () => ctx.panels.restart(activeSession(ctx))),
  'pydock.stop': (ctx) => withProgress('Stopping the Python session', () => activeSession(ctx).stop()),
  'pydock.showLog': (ctx) => ctx.showLog(),
  'pydock.manageContainers': (ctx) => manageContainers(ctx.log),
  'pydock.syncWorkspace': (ctx) => syncWorkspace(ctx),
  'pydock.pullImage': (ctx) => pullImage(ctx.sessions, ctx.log),
  'pydock.checkDocker': () => checkDockerCommand(),
  'pydock.chooseEnvironment': (ctx) => chooseEnvironmentCommand(ctx.workspaceState),
  'pydock.prepareEnvironment': (ctx) => prepareEnvironment(ctx.sessions, ctx.log),
  'pydock.runFirstCell': () => runFirstCell(),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, command]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await command(ctx, ...args);
    } catch (error) {
      await showError(error, ctx);
    }
  }));
}

/** Runs with the editor of `uri` (a CodeLens passes its document) or the active one. */
async function withEditor<T>(action: (editor: vscode.TextEditor) => Promise<T> | T, uri?: unknown): Promise<T | undefined> {
  const editor = uri instanceof vscode.Uri
    ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) ?? await vscode.window.showTextDocument(uri)
    : vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('pydock: open a Python file and put the cursor on the code to run.');
    return undefined;
  }
  return action(editor);
}

/** Runs pieces of the editor's file in order, each as its own entry; stops at the first that fails, as Jupyter does. */
async function runPieces(ctx: CommandContext, editor: vscode.TextEditor, pieces: CodeToRun[]): Promise<void> {
  const document = editor.document;
  const file = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString();
  const session = ctx.sessions.forDocument(document.uri);
  for (const { code, line } of pieces) {
    if (!code.trim()) continue;
    if (!(await ctx.panels.run(session, code, { file, line }))) return;
  }
}

function selectionOrCell(editor: vscode.TextEditor, line?: unknown): CodeToRun {
  if (typeof line !== 'number' && !editor.selection.isEmpty) return selectionOrLine(lines(editor.document), editor.selection);
  const cell = typeof line === 'number' ? cellsOf(editor.document).find((c) => c.startLine === line) : currentCell(editor);
  return cell ? piece(cell) : selectionOrLine(lines(editor.document), editor.selection);
}

function cellsAround(editor: vscode.TextEditor, line: unknown, where: 'above' | 'below'): CodeToRun[] {
  const cells = cellsOf(editor.document);
  const here = typeof line === 'number' ? cells.find((c) => c.startLine === line) : currentCell(editor, cells);
  const index = here?.index ?? 0;
  const chosen = where === 'above' ? cells.slice(0, index) : cells.slice(index);
  return chosen.map(piece);
}

function debugPiece(editor: vscode.TextEditor, { code, line }: CodeToRun, what: string): Promise<void> {
  return debugCode(editor.document, code, line, what);
}

/** What a cell runs: markdown cells are skipped (runPieces passes over empty code). */
function piece(cell: Cell): CodeToRun {
  return { code: cell.kind === 'code' ? cell.code : '', line: cell.startLine + 1 };
}

/**
 * Shift+Enter: the cursor goes to the next cell, or below the selection (or the line, in a file without cells);
 * after the last cell a new one is made at the end of the file, unless that cell is still empty.
 */
async function moveToNextCell(editor: vscode.TextEditor): Promise<void> {
  const document = editor.document;
  const cells = cellsOf(document);
  const cell = editor.selection.isEmpty ? currentCell(editor, cells) : undefined;
  let target = cell ? cells[cell.index + 1]?.startLine : Math.min(editor.selection.end.line + 1, document.lineCount - 1);
  if (target === undefined || (cell && target >= document.lineCount)) { // past the last cell
    if (cell?.code.trim()) { // an empty last cell already waits for code: no second one
      const end = document.lineAt(document.lineCount - 1).range.end;
      const separator = document.lineAt(document.lineCount - 1).text.trim() ? '\n\n' : '\n';
      await editor.edit((edit) => edit.insert(end, `${separator}# %%\n`));
    }
    target = document.lineCount - 1;
  }
  const position = new vscode.Position(target, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position));
}

/** A named session beside the folder's default one: its own container and namespace. */
async function newSession(ctx: CommandContext): Promise<void> {
  const taken = new Set(ctx.sessions.namesHere());
  const name = await vscode.window.showInputBox({
    title: 'New pydock session', prompt: 'A name for a new session of this folder (its own container and variables)',
    validateInput: (text) => (!text.trim() ? 'Type a name' : taken.has(text.trim()) ? 'A session of that name exists: pick it from the status bar' : undefined),
  });
  if (!name?.trim()) return;
  ctx.panels.show(await ctx.sessions.activate(name.trim()));
}

async function pickSession(ctx: CommandContext): Promise<void> {
  const current = ctx.sessions.activeNameHere();
  const items: (vscode.QuickPickItem & { name?: string })[] = [
    ...ctx.sessions.namesHere().map((name) => ({ label: `${name === current ? '$(check) ' : ''}${name}`, name })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(add) New Session…' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'pydock sessions of this folder', placeHolder: 'The session that runs your code' });
  if (!picked) return;
  if (!picked.name) return newSession(ctx);
  ctx.panels.show(await ctx.sessions.activate(picked.name), true);
}

/** Brings files changed in a copied-in workspace (remote Docker hosts) back to this machine. */
async function syncWorkspace(ctx: CommandContext): Promise<void> {
  const copy = ctx.sessions.active()?.workspaceCopy;
  if (!copy) {
    void vscode.window.showInformationMessage('pydock: the workspace is mounted into the session, not copied: files are already shared.');
    return;
  }
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pydock: syncing the workspace back' }, () => copy.syncBack());
  const refused = report.refused.map((r) => `${r.path} (${r.reason})`);
  ctx.log.info(`workspace sync: wrote ${report.written.join(', ') || 'nothing'}${report.conflicts.length ? `; conflicts kept as on this machine: ${report.conflicts.join(', ')}` : ''}`);
  if (refused.length) ctx.log.warn(`workspace sync: refused, as they would land outside the workspace: ${refused.join(', ')}`);
  const conflicts = report.conflicts.length ? ` ${report.conflicts.length} changed on both sides were left as they are here: ${report.conflicts.join(', ')}.` : '';
  const refusals = refused.length ? ` ${refused.length} refused, as they would land outside the workspace or through a symbolic link: ${refused.join(', ')}.` : '';
  const show = report.conflicts.length || refused.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`pydock: brought back ${report.written.length} changed file${report.written.length === 1 ? '' : 's'} from the container.${conflicts}${refusals}`);
}

/** Asks for an expression, offering the selection, and opens it in the table viewer. */
async function viewTable(ctx: CommandContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  const expr = await vscode.window.showInputBox({
    title: 'View as table', prompt: 'A Python expression: a DataFrame, Series, numpy array, list of dicts, dict of lists or Grid',
    value: selected, placeHolder: 'df', validateInput: (text) => (text.trim() ? undefined : 'Type an expression, e.g. df'),
  });
  if (expr?.trim()) await ctx.tables.openExpression(activeSession(ctx), expr.trim());
}

function activeSession(ctx: CommandContext): Session {
  return ctx.sessions.active() ?? ctx.sessions.forDocument(vscode.window.activeTextEditor?.document.uri);
}

async function interrupt(ctx: CommandContext): Promise<void> {
  const session = ctx.sessions.active();
  if (session) await ctx.panels.interrupt(session);
}

function withProgress(title: string, action: () => Promise<void>): Thenable<void> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, action);
}

function lines(document: vscode.TextDocument): string[] {
  return Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
}

export async function showError(error: unknown, ctx: Pick<CommandContext, 'showLog'>): Promise<void> {
  const message = error instanceof PydockError ? [error.message, error.hint].filter(Boolean).join(' ') : errorMessage(error);
  const actions = error instanceof PydockError && error.code === 'untrusted' ? ['Manage Workspace Trust', 'Show Log'] : ['Show Log'];
  const choice = await vscode.window.showErrorMessage(`pydock: ${message}`, ...actions);
  if (choice === 'Show Log') ctx.showLog();
  if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
}
