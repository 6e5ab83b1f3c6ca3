// Long output in the session panel, in headless Chromium: cut at the line limit into a scroll region that follows its
// end, keyboard-scrollable, with the line count and "Open full output"; short output stays as it is.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { SCREENSHOTS, SESSION, closePanel, entry, inEntry, init, openPanel, send, stream, update, waitForText } from './panelSupport';

afterEach(closePanel);

const lines = (from: number, to: number, word = 'line') => Array.from({ length: to - from }, (_, i) => `${word} ${from + i}\n`).join('');

/** Runs in the page: the output region's geometry. */
function regionBox(selector: string): { clientHeight: number; scrollHeight: number; scrollTop: number; lineHeight: number } {
  const region = document.querySelector<HTMLElement>(selector)!;
  const lineHeight = parseFloat(getComputedStyle(region.querySelector('.pd-stream-text')!).lineHeight);
  return { clientHeight: region.clientHeight, scrollHeight: region.scrollHeight, scrollTop: region.scrollTop, lineHeight };
}

describe('panel long output', () => {
  it('cuts 5,000 printed lines at 30 into a region that follows the end, with the count and Open full output below', async () => {
    const view = await openPanel({ height: 800, theme: 'dark' });
    await init(view, [entry('e1', 1, { state: 'running', code: 'for i in range(5000):\n    print("line", i)' })]);
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: lines(0, 10) });
    await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('line 9\n'), 'the first lines show');
    assert.equal(await view.page.locator(inEntry('e1', '.pd-stream-footer')).isHidden(), true, 'ten lines need no region');
    await update(view, { type: 'replaceOutput', id: 'e1', index: 0, output: stream('stdout', lines(0, 1000), 3800, lines(4800, 5000)) });
    const region = inEntry('e1', '.pd-stream-region');
    await waitForText(view, region, (t) => t.endsWith('line 4999\n'), 'the tail shows');
    const footer = await waitForText(view, inEntry('e1', '.pd-stream-footer'), (t) => t.includes('5,000'), 'the footer counts the lines');
    assert.equal(footer, '5,000 lines, 30 in view — Open full output');
    await view.page.waitForFunction((s) => {
      const r = document.querySelector(s)!;
      return r.scrollHeight - r.scrollTop - r.clientHeight < 2;
    }, region);
    const box = await view.page.evaluate(regionBox, region);
    assert.ok(Math.abs(box.clientHeight - 30 * box.lineHeight) <= 1, `the region is 30 lines high: ${JSON.stringify(box)}`);
    assert.ok(box.scrollHeight > 100 * box.clientHeight / 30, 'all kept lines are in it');
    const transcript = await view.page.locator('.pd-transcript').evaluate((t) => t.scrollHeight);
    assert.ok(transcript < 1000, `the transcript stays short: ${transcript} px`);
    assert.equal(await view.page.locator(region).getAttribute('aria-label'), 'Output, 5,000 lines, 30 in view');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await view.page.screenshot({ path: path.join(SCREENSHOTS, 'panel-long-output-dark.png') });

    // The keyboard scrolls it; scrolled away from the end it stays put as output arrives; End follows again.
    await view.page.locator(region).focus();
    await view.page.keyboard.press('Home');
    await view.page.waitForFunction((s) => document.querySelector(s)!.scrollTop === 0, region);
    await update(view, { type: 'streamTail', id: 'e1', index: 0, elidedLines: 3801, tail: lines(4801, 5001) });
    await waitForText(view, region, (t) => t.endsWith('line 5000\n'), 'the moved tail shows');
    assert.equal(await view.page.evaluate((s) => document.querySelector(s)!.scrollTop, region), 0, 'the reader stays where they went');
    await view.page.keyboard.press('End');
    await update(view, { type: 'streamTail', id: 'e1', index: 0, elidedLines: 3802, tail: lines(4802, 5002) });
    await waitForText(view, region, (t) => t.endsWith('line 5001\n'), 'more arrives');
    await view.page.waitForFunction((s) => {
      const r = document.querySelector(s)!;
      return r.scrollHeight - r.scrollTop - r.clientHeight < 2;
    }, region);

    await view.page.locator(inEntry('e1', '.pd-stream-footer')).getByRole('button', { name: 'Open full output' }).click();
    const message = await view.waitForPosted((body) => body.type === 'panel.openFullOutput');
    assert.deepEqual(message.body, { type: 'panel.openFullOutput', entryId: 'e1' });
    assert.deepEqual(view.errors, []);
  });

  it('leaves an elided stream that draws few lines as it is', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { outputs: [stream('stdout', lines(0, 3), 9994, lines(9997, 10_000))] })]);
    await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('line 9999'), 'the output shows');
    assert.equal(await view.page.locator(inEntry('e1', '.pd-stream-footer')).isHidden(), true);
    assert.equal(await view.page.locator(inEntry('e1', '.pd-stream-region')).getAttribute('role'), null);
  });

  it('draws again under a new line limit, and counts an unfinished last line', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { outputs: [stream('stdout', `${lines(0, 20)}progress 50%`)] })], SESSION, { outputLineLimit: 30 });
    await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('progress 50%'), 'the output shows');
    assert.equal(await view.page.locator(inEntry('e1', '.pd-stream-footer')).isHidden(), true);
    await send(view, { type: 'panel.settings', settings: { outputLineLimit: 10 } });
    const footer = await waitForText(view, inEntry('e1', '.pd-stream-footer'), (t) => t.includes('21 lines'), 'the footer shows');
    assert.equal(footer, '21 lines, 10 in view — Open full output');
    const box = await view.page.evaluate(regionBox, inEntry('e1', '.pd-stream-region'));
    assert.ok(Math.abs(box.clientHeight - 10 * box.lineHeight) <= 1, `10 lines high: ${JSON.stringify(box)}`);
  });
});
