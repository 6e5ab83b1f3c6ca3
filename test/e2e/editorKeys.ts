// Editor moves e2e tests share, made with the keys as a user does: the cursor to a line, a selection from Home.
import type { Page } from 'playwright-core';

/** Puts the cursor at the start of a 1-based line with Go to Line, which leaves the focus in the editor. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`:${line}`);
  await input.press('Enter');
}

/**
 * Selects from where Home puts the cursor on `line` down `lines` more lines to the end of the last, and waits for the
 * status bar to read `status`. A panel still drawing may take the focus back; then the user selects again.
 */
export async function selectFromHome(page: Page, line: number, lines: number, status: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await goToLine(page, line);
    for (const key of ['Home', ...Array(lines).fill('Shift+ArrowDown'), 'Shift+End']) await page.keyboard.press(key);
    const selected = page.locator('.statusbar-item', { hasText: status }).first();
    if (await selected.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return;
    if (attempt === 3) throw new Error(`the selection did not take: the status bar never read "${status}"`);
  }
}
