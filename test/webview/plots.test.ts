// Plots in headless Chromium: the panel's actions on a plot (open, save as PNG or SVG, copy the image, by mouse and
// keyboard) and the plot viewer (previous and next by buttons and keys, save, copy, fit), in the dark theme.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { PlotView, PlotsToWebview } from '../../shared/webviewProtocol';
import type { DisplayView } from '../../shared/transcript';
import { openWebview, type WebviewHandle } from './page';
import { PNG, SCREENSHOTS, SVG, WAIT_MS, closePanel, entry, inEntry, init, openPanel } from './panelSupport';

let viewer: WebviewHandle | undefined;
afterEach(async () => {
  await closePanel();
  await viewer?.close();
  viewer = undefined;
});

const ORIGIN = 'https://pydock.test';

/** A 600×400 chart drawn on a canvas in the page, as base64 PNG: a plot large enough to look at. */
async function chartPng(view: WebviewHandle, hue: number): Promise<string> {
  return view.page.evaluate((h) => {
    const canvas = document.createElement('canvas');
    canvas.width = 600;
    canvas.height = 400;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 600, 400);
    g.strokeStyle = `hsl(${h} 70% 40%)`;
    g.lineWidth = 3;
    g.beginPath();
    for (let x = 0; x <= 560; x += 4) g.lineTo(20 + x, 200 - 150 * Math.sin((x / 560) * Math.PI * 2 + h));
    g.stroke();
    return canvas.toDataURL('image/png').split(',')[1];
  }, hue);
}

/** Runs in the page: the clipboard's image, as its type and size in pixels. */
async function clipboardImage(): Promise<{ types: string[]; width: number; height: number }> {
  const [item] = await navigator.clipboard.read();
  const bitmap = await createImageBitmap(await item.getType('image/png'));
  return { types: [...item.types], width: bitmap.width, height: bitmap.height };
}

const actionsOf = (view: WebviewHandle, id: string) =>
  view.page.locator(inEntry(id, '.pd-plot-actions button')).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));

describe('plots in the panel', () => {
  it('offers open, save as PNG and SVG, and copy on a figure; keyboard focus shows them', async () => {
    const view = await openPanel({ height: 900 });
    await view.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
    const figure: DisplayView = { mime: 'image/png', data: await chartPng(view, 1), plot: 7 };
    await init(view, [
      entry('e1', 1, { code: 'plt.plot(x); plt.show()', outputs: [{ kind: 'display', display: figure }] }),
      entry('e2', 2, { code: 'Image.open("a.png")', outputs: [{ kind: 'result', pyType: 'PngImageFile', repr: '<PIL>', display: [{ mime: 'image/png', data: PNG }] }] }),
      entry('e3', 3, { code: 'drawing', outputs: [{ kind: 'display', display: { mime: 'image/svg+xml', data: SVG } }] }),
    ]);
    await view.page.waitForSelector(inEntry('e3', '.pd-plot img'));
    assert.deepEqual(await actionsOf(view, 'e1'), ['Open in the plot viewer', 'Save as PNG…', 'Save as SVG…', 'Copy image']);
    assert.deepEqual(await actionsOf(view, 'e2'), ['Open in the plot viewer', 'Save as PNG…', 'Copy image'], 'no figure kept: no SVG');
    assert.deepEqual(await actionsOf(view, 'e3'), ['Open in the plot viewer', 'Save as SVG…', 'Copy image']);

    const bar = view.page.locator(inEntry('e1', '.pd-plot-actions'));
    assert.equal(await bar.evaluate((b) => getComputedStyle(b).opacity), '0', 'hidden until wanted');
    await view.page.locator(inEntry('e1', '.pd-plot-actions button')).first().focus();
    await view.page.waitForFunction((s) => getComputedStyle(document.querySelector(s)!).opacity === '1', inEntry('e1', '.pd-plot-actions'));
    await view.page.keyboard.press('Tab');
    await view.page.keyboard.press('Enter');
    const saved = await view.waitForPosted((body) => body.type === 'panel.plot');
    assert.deepEqual(saved.body, { type: 'panel.plot', entryId: 'e1', index: 0, action: 'save-png' });
    await view.page.locator(inEntry('e2', '.pd-plot img')).dblclick();
    const opened = await view.waitForPosted((body) => body.type === 'panel.plot' && body.entryId === 'e2');
    assert.deepEqual(opened.body, { type: 'panel.plot', entryId: 'e2', index: 0, action: 'open' });

    await view.page.locator(inEntry('e1', '.pd-plot')).hover();
    await view.page.waitForFunction((sel) => getComputedStyle(document.querySelector(sel)!).opacity === '1', inEntry('e1', '.pd-plot-actions'));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await view.page.screenshot({ path: path.join(SCREENSHOTS, 'panel-plot-actions-dark.png') });
    await view.page.locator(inEntry('e1', '.pd-plot-actions')).getByRole('button', { name: 'Copy image' }).click();
    await view.page.waitForSelector(inEntry('e1', '.pd-plot-actions .codicon-check'));
    assert.deepEqual(await view.page.evaluate(clipboardImage), { types: ['image/png'], width: 600, height: 400 });
    await view.page.locator(inEntry('e3', '.pd-plot')).hover();
    await view.page.locator(inEntry('e3', '.pd-plot-actions')).getByRole('button', { name: 'Copy image' }).click();
    await view.page.waitForSelector(inEntry('e3', '.pd-plot-actions .codicon-check'));
    assert.deepEqual(await view.page.evaluate(clipboardImage), { types: ['image/png'], width: 40, height: 20 }, 'SVG is drawn to PNG');
    assert.deepEqual(view.errors, []);
  });

  it('says on the button why an image could not be copied (here: a PNG the browser cannot decode)', async () => {
    const view = await openPanel();
    await view.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
    await init(view, [entry('e1', 1, { outputs: [{ kind: 'display', display: { mime: 'image/png', data: PNG } }] })]);
    await view.page.locator(inEntry('e1', '.pd-plot')).hover();
    await view.page.locator(inEntry('e1', '.pd-plot-actions')).getByRole('button', { name: 'Copy image' }).click();
    const failed = view.page.locator(inEntry('e1', '.pd-plot-actions button[aria-label^="The image could not be copied"]'));
    await failed.waitFor({ timeout: WAIT_MS });
    assert.equal(await failed.locator('.codicon-error').count(), 1);
  });
});

describe('the plot viewer', () => {
  const errors: string[] = [];
  async function openViewer(): Promise<WebviewHandle> {
    viewer = await openWebview('plots', { theme: 'dark', width: 900, height: 640 });
    await viewer.waitForPosted((body) => body.type === 'plots.ready');
    viewer.page.on('pageerror', (error) => errors.push(String(error)));
    await viewer.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
    return viewer;
  }

  const show = (view: WebviewHandle, plot: PlotView | undefined, total: number) => {
    const message: PlotsToWebview = { type: 'plots.show', ...(plot ? { plot } : {}), total };
    return view.send(message);
  };

  it('shows a plot large with its place in the session, and goes back and forth by buttons and keys', async () => {
    const view = await openViewer();
    const data = await chartPng(view, 2);
    const plot: PlotView = { entryId: 'e5', index: 1, count: 5, display: { mime: 'image/png', data, plot: 3 }, formats: ['png', 'svg'], position: 2 };
    await show(view, plot, 3);
    await view.page.waitForFunction(() => (document.querySelector('.pl-image') as HTMLImageElement)?.complete && (document.querySelector('.pl-image') as HTMLImageElement).naturalWidth === 600);
    assert.equal(await view.page.locator('.pl-position').textContent(), 'Plot 2 of 3 · In [5]');
    assert.equal(await view.page.locator('.pl-image').getAttribute('alt'), 'Plot 2 of 3, from In [5]');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await view.page.screenshot({ path: path.join(SCREENSHOTS, 'plots-viewer-dark.png') });

    await view.page.keyboard.press('ArrowLeft');
    await view.page.keyboard.press('End');
    await view.page.getByRole('button', { name: 'Next plot (Right arrow)' }).click();
    await view.page.getByRole('button', { name: 'Previous plot (Left arrow)' }).click();
    await view.page.waitForFunction(() =>
      (window as unknown as { __posted: { body: { type: string } }[] }).__posted.filter((m) => m.body.type === 'plots.go').length === 4);
    const moves = (await view.posted()).filter((m) => m.body.type === 'plots.go').map((m) => m.body.to);
    assert.deepEqual(moves, ['previous', 'last', 'next', 'previous']);

    await show(view, { ...plot, position: 1 }, 3);
    await view.page.waitForFunction(() => (document.querySelector('.pl-toolbar button') as HTMLButtonElement).disabled);
    assert.equal(await view.page.getByRole('button', { name: 'Next plot (Right arrow)' }).isDisabled(), false);

    await view.page.getByRole('button', { name: 'Show at its own size' }).click();
    assert.equal(await view.page.locator('.pl-stage').evaluate((s) => s.classList.contains('pl-fit')), false);
    await view.page.getByRole('button', { name: 'Fit to the window' }).click();
    assert.deepEqual(errors, []);
  });

  it('saves the plot shown through the extension and says where, or why not; copies it', async () => {
    const view = await openViewer();
    const data = await chartPng(view, 4);
    const plot: PlotView = { entryId: 'e1', index: 0, count: 1, display: { mime: 'image/png', data, plot: 9 }, formats: ['png', 'svg'], position: 1 };
    await show(view, plot, 1);
    await view.page.getByRole('button', { name: 'Save as SVG…' }).click();
    const request = await view.waitForPosted((body) => body.type === 'plots.save');
    assert.deepEqual(request.body, { type: 'plots.save', entryId: 'e1', index: 0, format: 'svg' });
    await view.reply(request.messageId, '/ws/plot-1-1.svg');
    await view.page.waitForFunction(() => document.querySelector('.pl-status')?.textContent === 'Saved to /ws/plot-1-1.svg');
    await view.page.getByRole('button', { name: 'Save as PNG…' }).click();
    const second = await view.waitForPosted((body) => body.type === 'plots.save' && body.format === 'png');
    await view.send({ type: 'reply', ok: false, error: 'Choose a file inside the workspace folder' } as { type: string }, second.messageId);
    await view.page.waitForFunction(() => document.querySelector('.pl-status.pl-error')?.textContent === 'Not saved: Choose a file inside the workspace folder');
    await view.page.getByRole('button', { name: 'Copy image' }).click();
    await view.page.waitForSelector('.pl-actions .codicon-check');
    assert.deepEqual(await view.page.evaluate(clipboardImage), { types: ['image/png'], width: 600, height: 400 });
  });

  it('says when the session has no plots', async () => {
    const view = await openViewer();
    await show(view, undefined, 0);
    await view.page.waitForSelector('.pl-empty:not([hidden])');
    assert.match(await view.page.locator('.pl-empty').textContent() ?? '', /No plots in this session yet/);
    assert.equal(await view.page.getByRole('button', { name: 'Previous plot (Left arrow)' }).isDisabled(), true);
  });
});
