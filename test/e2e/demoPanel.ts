// The demo's DataFrame in the session panel, for the table viewer's e2e tests: run its cell, and ask Python through the
// panel's REPL.
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
  await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 60_000 });
  const result = entry.locator('.pd-result');
  return (await result.count()) ? (await result.textContent() ?? '').trim() : '';
}
