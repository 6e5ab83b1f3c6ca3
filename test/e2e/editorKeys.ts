// Editor moves e2e tests share: the cursor to a line with Go to Line, as a user does.
import type { Page } from 'playwright-core';

/** Puts the cursor at the start of a 1-based line with Go to Line, which leaves the focus in the editor. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`:${line}`);
  await input.press('Enter');
}
