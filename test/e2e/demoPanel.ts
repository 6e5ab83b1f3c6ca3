// The demo's DataFrame in the session panel, for the table viewer's e2e tests: run its cell, ask Python through the
// panel's REPL, and open an expression with "View as Table…".
import type { Frame } from 'playwright-core';
import type { VsCode } from './harness';

/** Runs analysis.py's third cell (the 1M-row DataFrame) with its CodeLens and returns the panel's frame. */
export async function runDemoFrameCell(vscode: VsCode): Promise<Frame> {
  await vscode.openFile('analysis.py');
  const lens = vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).nth(2);
  await lens.waitFor({ timeout: 20_000 });
  await lens.click();
  return vscode.findFrame('.pd-transcript', 60_000);
}

/** Runs code in the panel's REPL and returns the result's text: empty for a statement or a table's preview. */
export async function runInRepl(panel: Frame, code: string): Promise<string> {
  const entries = panel.locator('.pd-entry', { hasText: code });
  const earlier = await entries.count(); // the same code may have run before: wait for this run's own entry
  const input = panel.locator('.pd-repl textarea');
  await input.fill(code);
  await input.press('Enter');
  const entry = entries.nth(earlier);
  await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 60_000 }).catch(async (error: Error) => {
    const last = await panel.locator('.pd-entry').evaluateAll((all) => all.slice(-3).map((e) => e.textContent?.replace(/\s+/g, ' ').slice(0, 160)));
    throw new Error(`${error.message}\nthe input holds ${JSON.stringify(await input.inputValue())}; the last entries: ${JSON.stringify(last)}`);
  });
  const result = entry.locator('.pd-result');
  return (await result.count()) ? (await result.textContent() ?? '').trim() : '';
}

/**
 * Opens `expr` with "View as Table…". The quick input closes when something takes the focus while it opens (a viewer
 * or the panel finishing its load): then it is opened again, up to three times.
 */
export async function viewAsTable(vscode: VsCode, expr: string): Promise<void> {
  const input = vscode.page.locator('.quick-input-widget', { hasText: 'A Python expression' }).locator('.quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    try {
      await vscode.runCommand('pydock: View as Table…');
      await input.fill(expr, { timeout: 5_000 });
      await input.press('Enter', { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
