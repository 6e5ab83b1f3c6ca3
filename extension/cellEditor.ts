// Cells in the editor: "Run Cell | Run Above | Run Below" lenses, the current cell's background, and the
// context key that gives Shift+Enter and Ctrl+Enter to pydock only in Python files where it is enabled.
import * as vscode from 'vscode';
import { cellAt, parseCells, type Cell } from './codeCells';

export const KEYS_CONTEXT = 'pydock.keysActive';
const PYTHON: vscode.DocumentSelector = { language: 'python' };

/** Parses each document version once, however many lenses, decorations and commands ask. */
const parsed = new WeakMap<vscode.TextDocument, { version: number; cells: Cell[] }>();
export function cellsOf(document: vscode.TextDocument): Cell[] {
  const cached = parsed.get(document);
  if (cached?.version === document.version) return cached.cells;
  const cells = parseCells(document.getText());
  parsed.set(document, { version: document.version, cells });
  return cells;
}

/** A file without `# %%` parses as one implicit cell; the editor treats it as having no cells. */
function hasCells(cells: Cell[]): boolean {
  return cells.length > 1 || cells[0]?.headerLine !== -1;
}

/** The cell at the cursor (of `cells`, when the caller parsed them); none in a file without cells, where the keys run the line. */
export function currentCell(editor: vscode.TextEditor, cells = cellsOf(editor.document)): Cell | undefined {
  return hasCells(cells) ? cellAt(cells, editor.selection.active.line) : undefined;
}

class CellLenses implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const cells = cellsOf(document);
    if (!hasCells(cells)) return []; // nothing to split
    return cells.filter((c) => c.kind === 'code').flatMap((cell) => {
      const range = new vscode.Range(Math.max(cell.headerLine, 0), 0, Math.max(cell.headerLine, 0), 0);
      const args = [document.uri, cell.startLine];
      return [
        new vscode.CodeLens(range, { title: '$(play) Run Cell', command: 'pydock.runCell', arguments: args, tooltip: 'Run this cell (Ctrl+Enter)' }),
        new vscode.CodeLens(range, { title: 'Debug Cell', command: 'pydock.debugCell', arguments: args, tooltip: 'Run this cell in the debugger: it stops at your breakpoints' }),
        new vscode.CodeLens(range, { title: 'Run Above', command: 'pydock.runAbove', arguments: args, tooltip: 'Run every cell above this one' }),
        new vscode.CodeLens(range, { title: 'Run Below', command: 'pydock.runBelow', arguments: args, tooltip: 'Run this cell and every cell below' }),
      ];
    });
  }
}

export function registerCellEditor(): vscode.Disposable[] {
  const lenses = new CellLenses();
  const decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('pydock.currentCellBackground'),
  });
  const highlight = (editor: vscode.TextEditor | undefined) => {
    if (!editor || editor.document.languageId !== 'python') return;
    const cell = currentCell(editor);
    const start = cell ? Math.max(cell.headerLine, 0) : 0;
    editor.setDecorations(decoration, cell ? [new vscode.Range(start, 0, Math.max(cell.endLine, start), 0)] : []);
  };
  const updateKeys = () => {
    const editor = vscode.window.activeTextEditor;
    const enabled = vscode.workspace.getConfiguration('pydock').get<boolean>('keybindings', true);
    void vscode.commands.executeCommand('setContext', KEYS_CONTEXT,
      enabled && vscode.workspace.isTrusted && editor?.document.languageId === 'python');
  };
  updateKeys();
  highlight(vscode.window.activeTextEditor);
  return [
    decoration,
    vscode.languages.registerCodeLensProvider(PYTHON, lenses),
    vscode.window.onDidChangeTextEditorSelection((e) => highlight(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((editor) => { highlight(editor); updateKeys(); }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document === e.document) highlight(editor);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('pydock.keybindings')) updateKeys(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(updateKeys),
  ];
}
