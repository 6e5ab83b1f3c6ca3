// The REPL input's suggest list in headless Chromium (built bundle, real CSP): asked for while typing, Up/Down choose,
// Tab and Enter accept (Enter then runs nothing), Escape closes, and a reply to an older ask is dropped.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { ReplSuggestion } from '../../shared/webviewProtocol';
import { SCREENSHOTS, closePanel, openPanel } from './panelSupport';
import type { WebviewHandle } from './page';

afterEach(closePanel);

/** Types text and answers the ask its last character makes. */
async function typeAndAnswer(view: WebviewHandle, text: string, code: string, suggestions: ReplSuggestion[]): Promise<void> {
  await view.page.keyboard.type(text);
  const ask = await view.waitForPosted((body) => body.type === 'panel.complete' && body.code === code);
  assert.equal(ask.body.offset, code.length, 'asked at the caret');
  await view.reply(ask.messageId, suggestions);
}

/** The panel with its history answered and the focus in the REPL input. */
async function panelWithFocusedInput() {
  const view = await openPanel();
  await view.reply((await view.waitForPosted((body) => body.type === 'panel.history')).messageId, []);
  const input = view.page.locator('.pd-repl textarea');
  await input.click();
  return { view, input };
}

const COLUMNS: ReplSuggestion[] = [
  { label: 'price', description: 'key', text: 'price"', start: 4, end: 4 },
  { label: 'city', description: 'key', text: 'city"', start: 4, end: 4 },
];

describe('REPL suggest list', () => {
  it('shows the live suggestions, chooses with the arrows and accepts with Tab', async () => {
    const { view, input } = await panelWithFocusedInput();
    await typeAndAnswer(view, 'df["', 'df["', COLUMNS);
    const rows = view.page.locator('.pd-suggest-row');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.locator('.pd-suggest-label').allInnerTexts(), ['price', 'city']);
    assert.equal(await rows.nth(0).getAttribute('aria-selected'), 'true');
    await view.page.screenshot({ path: path.join(SCREENSHOTS, 'webview-repl-suggest.png') });
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await rows.nth(1).getAttribute('aria-selected'), 'true', 'Down chose the second, not the history');
    await view.page.keyboard.press('Tab');
    assert.equal(await input.inputValue(), 'df["city"');
    assert.equal(await view.page.locator('.pd-suggest').isHidden(), true, 'the list closed');
    assert.equal(await input.evaluate((t: HTMLTextAreaElement) => t.selectionStart), 9, 'the caret is after what was accepted');
  });

  it('Enter accepts without running, Escape closes, and a stale reply is dropped', async () => {
    const { view, input } = await panelWithFocusedInput();
    await typeAndAnswer(view, 'co', 'co', [{ label: 'counter', description: 'int', text: 'counter', start: 0, end: 2 }]);
    await view.page.locator('.pd-suggest-row').first().waitFor();
    await view.page.keyboard.press('Enter');
    assert.equal(await input.inputValue(), 'counter');
    assert.equal((await view.posted()).filter((m) => m.body.type === 'panel.run').length, 0, 'Enter on the list ran nothing');

    await typeAndAnswer(view, '.', 'counter.', [{ label: 'real', description: 'property', text: 'real', start: 8, end: 8 }]);
    await view.page.locator('.pd-suggest-row').first().waitFor();
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('.pd-suggest').isHidden(), true, 'Escape closed the list');
    assert.equal(await input.inputValue(), 'counter.');

    await view.page.keyboard.type('r');
    const older = await view.waitForPosted((body) => body.type === 'panel.complete' && body.code === 'counter.r');
    await view.page.keyboard.type('x');
    await view.waitForPosted((body) => body.type === 'panel.complete' && body.code === 'counter.rx');
    await view.reply(older.messageId, [{ label: 'real', description: 'property', text: 'real', start: 8, end: 9 }]);
    await view.page.evaluate(() => new Promise(requestAnimationFrame));
    assert.equal(await view.page.locator('.pd-suggest').isHidden(), true, 'the reply to an older ask is not shown');
    await view.page.keyboard.press('Enter');
    await view.waitForPosted((body) => body.type === 'panel.run' && body.code === 'counter.rx');
    assert.deepEqual(view.errors, []);
  });

  it('Enter runs when the list answers older text or accepting changes nothing', async () => {
    const { view } = await panelWithFocusedInput();
    await typeAndAnswer(view, 'lo', 'lo', [{ label: 'log', description: 'list', text: 'log', start: 0, end: 2 }]);
    await view.page.locator('.pd-suggest-row').first().waitFor();
    await view.page.keyboard.type('g'); // its answer is still on the way: the list shown is for "lo"
    await view.page.keyboard.press('Enter');
    await view.waitForPosted((body) => body.type === 'panel.run' && body.code === 'log');

    await typeAndAnswer(view, 'x', 'x', [{ label: 'x', description: 'int', text: 'x', start: 0, end: 1 }]);
    await view.page.locator('.pd-suggest-row').first().waitFor();
    await view.page.keyboard.press('Enter');
    await view.waitForPosted((body) => body.type === 'panel.run' && body.code === 'x');
    assert.deepEqual(view.errors, []);
  });
});
