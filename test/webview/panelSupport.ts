// The session panel webview's test helpers: entries and streams as data, the built panel opened in Chromium, messages
// sent as the extension sends them, and waits a frame at a time.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_PANEL_SETTINGS, type PanelToWebview, type SessionView } from '../../shared/webviewProtocol';
import type { EntryUpdate, OutputItem, TranscriptEntry } from '../../shared/transcript';
import { openWebview, type Theme, type WebviewHandle } from './page';

export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');
/** How long a wait may take before the test fails: generous, as the machine may be busy with other suites. */
export const WAIT_MS = 15_000;
export const SESSION: SessionView = { key: 'file:///ws', name: 'default', state: 'idle', description: 'docker · pydock-local/python:full · Python 3.11.2' };
/** A 2×2 red PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAxMDAAAAjGwMBb8RfIgAAAABJRU5ErkJggg==';
export const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="green"/></svg>';

export function entry(id: string, count: number, fields: Partial<TranscriptEntry> = {}): TranscriptEntry {
  return { id, count, code: `x = ${count}`, source: 'REPL', state: 'done', durationMs: 5, collapsed: false, outputs: [], ...fields };
}

export function stream(name: 'stdout' | 'stderr', head: string, elidedLines = 0, tail = ''): OutputItem {
  return { kind: 'stream', name, head, elidedLines, tail };
}


let open: WebviewHandle | undefined;

/** Closes the panel a test opened: each test file calls it after each test. */
export async function closePanel(): Promise<void> {
  await open?.close();
  open = undefined;
}

/** The built panel, loaded as VS Code loads it, after it said panel.ready; collects page errors from then on. */
export async function openPanel(options: { theme?: Theme; state?: unknown; height?: number } = {}): Promise<WebviewHandle & { errors: string[] }> {
  const view = await openWebview('panel', options);
  open = view;
  view.page.setDefaultTimeout(WAIT_MS);
  await view.waitForPosted((body) => body.type === 'panel.ready'); // fails with the page's errors if it never loads
  const errors: string[] = [];
  view.page.on('pageerror', (error) => errors.push(String(error)));
  view.page.on('console', (message) => {
    // Playwright runs its init scripts in every frame; a sandboxed HTML output frame refusing them is the sandbox at work.
    const sandboxRefusal = message.location().url.startsWith('blob:') && message.text().startsWith('Blocked script execution');
    if (message.type() === 'error' && !sandboxRefusal) errors.push(message.text());
  });
  return Object.assign(view, { errors });
}

/** Sends the page a message as the extension would. */
export async function send(view: WebviewHandle, message: PanelToWebview): Promise<void> {
  await view.send(message);
}

export async function init(view: WebviewHandle, entries: TranscriptEntry[], session = SESSION, settings = DEFAULT_PANEL_SETTINGS): Promise<void> {
  await send(view, { type: 'panel.init', session, entries, settings });
}

export async function update(view: WebviewHandle, change: EntryUpdate): Promise<void> {
  await send(view, { type: 'panel.update', update: change });
}

export const inEntry = (id: string, selector = '') => `.pd-entry[data-entry-id="${id}"] ${selector}`.trim();

/** Runs in the page: whether the transcript is scrolled to its bottom. */
export function transcriptAtBottom(): boolean {
  const t = document.querySelector('.pd-transcript')!;
  return t.scrollHeight - t.scrollTop - t.clientHeight < 2;
}

/** Waits, a frame at a time, until the element's text satisfies the predicate; fails saying what it last saw. */
export async function waitForText(view: WebviewHandle, selector: string, expected: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const text = await view.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
    if (text !== null && expected(text)) return text;
    if (Date.now() > deadline) assert.fail(`${what}; the page shows ${text === null ? 'no such element' : JSON.stringify(text.slice(0, 500))}`);
    await view.page.evaluate(() => new Promise(requestAnimationFrame));
  }
}
