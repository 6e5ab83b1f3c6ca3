// Debugging in a real VS Code: a breakpoint clicked in the gutter, Debug Cell and Debug Selection stop there in the
// session's container; the Variables view, the Debug Console and Continue work as in any VS Code debug session.
import { after, before, describe, it } from 'node:test';
import { clickGutter, continueToEnd, lens, stoppedAt } from './debugSteps';
import { selectFromHome } from './editorKeys';
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

  /** The Variables view's Locals scope, opened if it is closed. */
  async function expandLocals(): Promise<void> {
    const locals = vscode.page.locator('.debug-view-content .monaco-list-row', { hasText: /^\s*Locals\s*$/ }).first();
    await locals.waitFor({ timeout: 30_000 });
    if ((await locals.getAttribute('aria-expanded')) === 'false') await locals.click();
  }

  const variable = (name: string, value: string) => vscode.page.locator('.debug-view-content .monaco-list-row', { hasText: new RegExp(`^\\s*${name}\\s*[:=]\\s*${value}\\s*$`) });

  it('stops Debug Cell at a breakpoint clicked in the gutter, shows a local, evaluates in the Debug Console and continues to the end', async () => {
    await vscode.openFile('cells.py');
    await lens(vscode, 'Run Cell').first().click();
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry').first().waitFor({ timeout: 60_000 });
    await clickGutter(vscode, 5);
    await lens(vscode, 'Debug Cell').nth(1).click();
    await stoppedAt(vscode, 5);
    await vscode.screenshot('debug-cell-stopped');
    await expandLocals();
    await variable('z', '40').first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('debug-cell-variables');
    await vscode.runCommand('Debug Console: Focus on Debug Console View');
    await vscode.page.keyboard.type('z * 10 + base');
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.repl .monaco-list-row', { hasText: '420' }).first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('debug-cell-console');
    await continueToEnd(vscode);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'w is 41' }).waitFor({ timeout: 30_000 });
    await vscode.runCommand('pydock: Show Session Panel');
    await vscode.screenshot('debug-cell-continued');
  });

  it('stops Debug Selection inside a selected function body', async () => {
    await vscode.openFile('answer.py');
    await clickGutter(vscode, 3);
    await selectFromHome(vscode.page, 2, 2, 'Ln 4, Col 30 (49 selected)');
    await vscode.runCommand('pydock: Debug Selection');
    await stoppedAt(vscode, 3);
    await expandLocals();
    await variable('a', '6').first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('debug-selection-stopped');
    await vscode.page.locator('.debug-call-stack .monaco-list-row', { hasText: 'agent.py' }).waitFor({ state: 'detached', timeout: 5_000 });
    await continueToEnd(vscode);
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'the answer is 42' }).waitFor({ timeout: 30_000 });
  });
});
