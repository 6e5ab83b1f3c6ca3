// Loads a built webview bundle (dist/webview) in headless Chromium as VS Code would: same HTML and CSP, theme
// variables, acquireVsCodeApi(); records what the page posts and lets tests send it messages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../extension/webviewHtml';
import type { Envelope } from '../../shared/webviewProtocol';

const ORIGIN = 'https://pydock.test';
const DIST = path.resolve(__dirname, '../../dist/webview');

export type Theme = 'dark' | 'light' | 'high-contrast';

/** A representative subset of the variables VS Code defines in webviews, per theme. */
const THEMES: Record<Theme, Record<string, string>> = {
  dark: {
    'editor-background': '#1e1e1e', 'editor-foreground': '#d4d4d4', foreground: '#cccccc', 'panel-border': '#80808059',
    'button-background': '#0e639c', 'button-foreground': '#ffffff', 'button-hoverBackground': '#1177bb',
    'input-background': '#3c3c3c', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', focusBorder: '#007fd4',
    'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
    'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff', errorForeground: '#f48771', 'textLink-foreground': '#3794ff',
    descriptionForeground: '#ccccccb3', 'editorWidget-background': '#252526', 'textCodeBlock-background': '#0a0a0a66',
    'terminal-ansiRed': '#cd3131', 'terminal-ansiGreen': '#0dbc79', 'terminal-ansiYellow': '#e5e510', 'terminal-ansiBlue': '#2472c8',
    'terminal-ansiMagenta': '#bc3fbc', 'terminal-ansiCyan': '#11a8cd', 'terminal-ansiWhite': '#e5e5e5', 'terminal-ansiBlack': '#000000',
    'scrollbarSlider-background': '#79797966', 'editorGutter-background': '#1e1e1e', 'sideBar-background': '#252526',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '14px',
    'textPreformat-foreground': '#d7ba7d', 'textPreformat-background': '#ffffff1a',
  },
  light: {
    'editor-background': '#ffffff', 'editor-foreground': '#000000', foreground: '#616161', 'panel-border': '#80808059',
    'button-background': '#007acc', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0062a3',
    'input-background': '#ffffff', 'input-foreground': '#616161', 'input-border': '#cecece', focusBorder: '#0090f1',
    'list-hoverBackground': '#e8e8e8', 'list-activeSelectionBackground': '#0060c0', 'list-activeSelectionForeground': '#ffffff',
    'badge-background': '#c4c4c4', 'badge-foreground': '#333333', errorForeground: '#a1260d', 'textLink-foreground': '#006ab1',
    descriptionForeground: '#717171', 'editorWidget-background': '#f3f3f3', 'textCodeBlock-background': '#dcdcdc66',
    'terminal-ansiRed': '#cd3131', 'terminal-ansiGreen': '#00bc00', 'terminal-ansiYellow': '#949800', 'terminal-ansiBlue': '#0451a5',
    'terminal-ansiMagenta': '#bc05bc', 'terminal-ansiCyan': '#0598bc', 'terminal-ansiWhite': '#555555', 'terminal-ansiBlack': '#000000',
    'scrollbarSlider-background': '#64646466', 'editorGutter-background': '#ffffff', 'sideBar-background': '#f3f3f3',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '14px',
    'textPreformat-foreground': '#a31515', 'textPreformat-background': '#0000001a',
  },
  'high-contrast': {
    'editor-background': '#000000', 'editor-foreground': '#ffffff', foreground: '#ffffff', 'panel-border': '#6fc3df',
    'button-background': '#000000', 'button-foreground': '#ffffff', 'button-hoverBackground': '#000000', 'contrastBorder': '#6fc3df',
    'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', focusBorder: '#f38518',
    'list-hoverBackground': '#000000', 'list-activeSelectionBackground': '#000000', 'list-activeSelectionForeground': '#ffffff',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', errorForeground: '#f48771', 'textLink-foreground': '#21a6ff',
    descriptionForeground: '#ffffff', 'editorWidget-background': '#0c141f', 'textCodeBlock-background': '#000000',
    'terminal-ansiRed': '#f14c4c', 'terminal-ansiGreen': '#23d18b', 'terminal-ansiYellow': '#f5f543', 'terminal-ansiBlue': '#3b8eea',
    'terminal-ansiMagenta': '#d670d6', 'terminal-ansiCyan': '#29b8db', 'terminal-ansiWhite': '#e5e5e5', 'terminal-ansiBlack': '#000000',
    'scrollbarSlider-background': '#6fc3df66', 'editorGutter-background': '#000000', 'sideBar-background': '#000000',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '14px',
    'textPreformat-foreground': '#d7ba7d', 'textPreformat-background': '#ffffff1a',
  },
};

/** The styles VS Code puts into every webview before the page's own (from its webview pre/index.html). */
const VSCODE_DEFAULT_STYLES = `
  body { background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
    font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
  img, video { max-width: 100%; max-height: 100%; }
  a, a code { color: var(--vscode-textLink-foreground); }
  code { font-family: var(--vscode-editor-font-family); color: var(--vscode-textPreformat-foreground);
    background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
  pre code { padding: 0; }
`;

export interface WebviewHandle {
  page: Page;
  browser: Browser;
  /** Every envelope the page has posted to the host so far, oldest first. */
  posted(): Promise<Envelope<{ type: string } & Record<string, unknown>>[]>;
  /** Waits for a posted message matching the predicate (already posted or still to come). */
  waitForPosted(match: (body: { type: string } & Record<string, unknown>) => boolean, timeout?: number): Promise<Envelope<{ type: string } & Record<string, unknown>>>;
  /** Sends the page a message as the extension would (an event, or a reply when inReplyTo is set). */
  send(body: { type: string }, inReplyTo?: number): Promise<void>;
  /** Replies to a request the page posted. */
  reply(request: number, value: unknown): Promise<void>;
  /** The state the page saved with setState, as a reloaded webview would get it back. */
  savedState(): Promise<unknown>;
  close(): Promise<void>;
}

export async function openWebview(bundle: 'panel' | 'table' | 'plots', options: { theme?: Theme; width?: number; height?: number; state?: unknown } = {}): Promise<WebviewHandle> {
  const script = path.join(DIST, `${bundle}.js`);
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: run "npm run build" first`);
  const theme = options.theme ?? 'dark';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1000, height: options.height ?? 800 } });
    let messageId = 1_000_000;
    const styles = fs.existsSync(path.join(DIST, `${bundle}.css`)) ? [`${ORIGIN}/${bundle}.css`] : [];
    const html = webviewHtml({ title: bundle, cspSource: ORIGIN, scriptUri: `${ORIGIN}/${bundle}.js`, styleUris: styles, bodyClass: `vscode-${theme} ${bundle}` })
      .replace('<head>', `<head>\n    <style id="_defaultStyles">${VSCODE_DEFAULT_STYLES}</style>`);
    const variables = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
    await page.route(`${ORIGIN}/**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: html });
      const file = path.join(DIST, path.basename(name));
      if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      const type = name.endsWith('.js') ? 'text/javascript' : name.endsWith('.css') ? 'text/css' : name.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream';
      return route.fulfill({ contentType: type, body: fs.readFileSync(file) });
    });
    // A string, not a function: tsx compiles functions with esbuild's __name() wrapper, which the page lacks.
    await page.addInitScript(`
      window.__posted = [];
      window.__state = ${JSON.stringify(options.state ?? null)};
      window.acquireVsCodeApi = () => ({
        postMessage: (message) => window.__posted.push(message),
        getState: () => window.__state,
        setState: (s) => { window.__state = s; return s; },
      });
      document.addEventListener('DOMContentLoaded', () => document.documentElement.setAttribute('style', ${JSON.stringify(variables)}));
      globalThis.__name = (target) => target; // for functions tests pass to page.evaluate
    `);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    await page.goto(`${ORIGIN}/index.html`);

    const posted = () => page.evaluate(() => (window as unknown as { __posted: Envelope<{ type: string } & Record<string, unknown>>[] }).__posted);
    const send = async (body: { type: string }, inReplyTo?: number) => {
      const envelope: Envelope<unknown> = { messageId: messageId++, ...(inReplyTo !== undefined ? { inReplyTo } : {}), body };
      await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), envelope as unknown as Record<string, unknown>);
    };
    return {
      page,
      browser,
      posted,
      async waitForPosted(match, timeout = 5000) {
        const start = Date.now();
        for (;;) {
          const found = (await posted()).find((m) => match(m.body));
          if (found) return found;
          if (Date.now() - start > timeout) {
            throw new Error(`the page did not post the expected message within ${timeout} ms; it posted ${JSON.stringify((await posted()).map((m) => m.body.type))}; page errors: ${errors.join(' | ') || 'none'}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      send,
      reply: (request, value) => send({ type: 'reply', ok: true, value } as { type: string }, request),
      savedState: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
