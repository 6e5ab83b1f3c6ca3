// What a user does and sees when debugging in code-server: a CodeLens clicked, a breakpoint set in the gutter, the stop.
import type { Locator } from 'playwright-core';
import type { VsCode } from './harness';

/** The CodeLens titled `title` (Run Cell, Debug Cell) of the editors: `.nth(i)` picks the cell. */
export function lens(vscode: VsCode, title: string): Locator {
  return vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: title });
}

/** Clicks the glyph margin left of a line number in the active editor, as a user sets a breakpoint. */
export async function clickGutter(vscode: VsCode, line: number): Promise<void> {
  const editor = vscode.page.locator('.editor-group-container.active .monaco-editor').first();
  const number = editor.locator('.margin .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
  await number.waitFor({ timeout: 10_000 });
  const box = (await number.boundingBox())!;
  await vscode.page.mouse.click(box.x - 10, box.y + box.height / 2);
  await editor.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
}

/** Stopped: the debug toolbar shows and the editor highlights the line the run stopped on. */
export async function stoppedAt(vscode: VsCode, line: number): Promise<void> {
  try {
    await vscode.page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
    await vscode.page.locator('.monaco-editor .debug-top-stack-frame-line').first().waitFor({ timeout: 30_000 });
    await vscode.page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor({ timeout: 10_000 });
  } catch (error) {
    throw new Error(`not stopped at line ${line}: see ${await vscode.screenshot(`debug-not-stopped-${line}`)}\n${error}`);
  }
}

/** Continue, then the debug toolbar goes: the run finished. */
export async function continueToEnd(vscode: VsCode): Promise<void> {
  await vscode.page.locator('.debug-toolbar .codicon-debug-continue').click();
  await vscode.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
}
