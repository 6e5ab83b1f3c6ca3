// Debugging in a real VS Code: a breakpoint clicked in the gutter, Debug Cell and Debug Selection stop there in the
// session's container; the Variables view, the Debug Console and Continue work as in any VS Code debug session.
import { after, before, describe, it } from 'node:test';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const CELLS = '# %%\nbase = 20\n# %%\nz = base * 2\nw = z + 1\nprint("w is", w)\n';
const FUNCTION = 'def answer():\n    a = 6\n    b = a * 7\n    print("the answer is", b)\n';

describe('Debugging in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'cells.py': CELLS, 'answer.py': FUNCTION });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: { ...E2E_SETTINGS, 'pydock.reattachGraceSeconds': 2, 'debug.openDebug': 'openOnDebugBreak' } });
  });
  after(async () => {
    await vscode?.close();
  });

  /** Clicks the glyph margin left of a line number in the active editor, as a user sets a breakpoint. */
  async function clickGutter(line: number): Promise<void> {
    const editor = vscode.page.locator('.editor-group-container.active .monaco-editor').first();
    const number = editor.locator('.margin .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
    await number.waitFor({ timeout: 10_000 });
    const box = (await number.boundingBox())!;
    await vscode.page.mouse.click(box.x - 10, box.y + box.height / 2);
    await editor.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
  }

  /** Stopped: the debug toolbar shows and the editor highlights the line the run stopped on. */
  async function stoppedAt(line: number): Promise<void> {
    try {
      await vscode.page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
      await vscode.page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ timeout: 30_000 });
      await vscode.page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor({ timeout: 10_000 });
    } catch (error) {
      throw new Error(`not stopped at line ${line}: see ${await vscode.screenshot(`debug-not-stopped-${line}`)}\n${error}`);
    }
  }

  /** The Variables view's Locals scope, opened if it is closed. */
  async function expandLocals(): Promise<void> {
    const locals = vscode.page.locator('.debug-view-content .monaco-list-row', { hasText: /^\s*Locals\s*$/ }).first();
    await locals.waitFor({ timeout: 30_000 });
    if ((await locals.getAttribute('aria-expanded')) === 'false') await locals.click();
  }

  const variable = (name: string, value: string) => vscode.page.locator('.debug-view-content .monaco-list-row', { hasText: new RegExp(`^\\s*${name}\\s*[:=]\\s*${value}\\s*$`) });

  it('stops Debug Cell at a breakpoint clicked in the gutter, shows a local, evaluates in the Debug Console and continues to the end', async () => {
    await vscode.openFile('cells.py');
    const lens = (title: string) => vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: title });
    await lens('Run Cell').first().click();
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry').first().waitFor({ timeout: 60_000 });
    await clickGutter(5);
    await lens('Debug Cell').nth(1).click();
    await stoppedAt(5);
    await vscode.screenshot('debug-cell-stopped');
    await expandLocals();
    await variable('z', '40').first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('debug-cell-variables');
    await vscode.runCommand('Debug Console: Focus on Debug Console View');
    await vscode.page.keyboard.type('z * 10 + base');
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.repl .monaco-list-row', { hasText: '420' }).first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('debug-cell-console');
    await vscode.page.locator('.debug-toolbar .codicon-debug-continue').click();
    await vscode.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'w is 41' }).waitFor({ timeout: 30_000 });
    await vscode.runCommand('pydock: Show Session Panel');
    await vscode.screenshot('debug-cell-continued');
  });

  it('stops Debug Selection inside a selected function body', async () => {
    await vscode.openFile('answer.py');
    await clickGutter(3);
    for (const key of ['Control+Home', 'ArrowDown', 'Home', 'Shift+ArrowDown', 'Shift+ArrowDown', 'Shift+End']) await vscode.page.keyboard.press(key);
    await vscode.runCommand('pydock: Debug Selection');
    await stoppedAt(3);
    await expandLocals();
    await variable('a', '6').first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('debug-selection-stopped');
    await vscode.page.locator('.debug-call-stack .monaco-list-row', { hasText: 'agent.py' }).waitFor({ state: 'detached', timeout: 5_000 });
    await vscode.page.locator('.debug-toolbar .codicon-debug-continue').click();
    await vscode.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'the answer is 42' }).waitFor({ timeout: 30_000 });
  });
});
