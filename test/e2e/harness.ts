// End-to-end harness: runs an extension in a real VS Code (code-server) driven by Chromium through playwright-core.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

const REPO = path.resolve(__dirname, '../..');
const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
};
const UNTRUSTED_SETTINGS = { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
const LOG_LIMIT = 64_000;
const STEP_TIMEOUT = 10_000;

export interface StartOptions {
  /** The extension to install; more than one when a test extension uses it. */
  vsix: string | string[];
  workspace: string;
  settings?: Record<string, unknown>;
  /** Opens the folder in Restricted Mode (Workspace Trust on, never prompting) instead of with trust turned off. */
  untrusted?: boolean;
  /** Limit for each start-up phase (install, listen, workbench ready), in ms. */
  timeout?: number;
}

export interface Timings {
  installMs: number;
  startMs: number;
  readyMs: number;
}

export interface VsCode {
  url: string;
  page: Page;
  browser: Browser;
  timings: Timings;
  /** Runs a command from the palette by its full title as shown there, e.g. "Pydock: Open Table". */
  runCommand(title: string, options?: { timeout?: number }): Promise<void>;
  /** Opens a workspace file through quick open and waits until its editor tab is active. */
  openFile(relativePath: string, options?: { timeout?: number }): Promise<void>;
  /** Waits until the text is visible in the workbench (not inside webviews: use findFrame). */
  waitForText(text: string, options?: { timeout?: number }): Promise<void>;
  /** The first frame (webviews are nested iframes) containing `selector`. */
  findFrame(selector: string, timeout?: number): Promise<Frame>;
  /** The clipboard's text once `ready` accepts it (or after 5 s): a webview writes it a moment after the click. */
  clipboardText(ready: (text: string) => boolean): Promise<string>;
  /** Saves test-results/screenshots/NAME.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** The latest output of code-server, for failure messages. */
  serverLog(): string;
  /** Unloads the page (so extensions deactivate), then ends Chromium and code-server and removes temp dirs. */
  close(): Promise<void>;
}

interface ServerOutput {
  text(): string;
  /** Resolves with the first match of `pattern` in the output so far or to come; rejects if code-server exits first. */
  waitFor(pattern: RegExp, what: string, timeout: number): Promise<RegExpExecArray>;
}

// Synchronous last resort, so a crashed or interrupted test run leaves no code-server behind.
const exitCleanups = new Set<() => void>();
let exitHooked = false;
function hookProcessExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => exitCleanups.forEach((cleanup) => cleanup()));
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => process.exit(code));
  }
}

let binary: Promise<string> | undefined;
/** Installs code-server on first use (scripts/code-server.sh does nothing once it is installed) and returns its path. */
function codeServerBinary(): Promise<string> {
  binary ??= run('bash', [path.join(REPO, 'scripts', 'code-server.sh')], 15 * 60_000)
    .then((stdout) => stdout.trim().split('\n').pop() ?? '');
  return binary;
}

function run(file: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout, env: cleanEnv() }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`.trim()));
      else resolve(stdout);
    });
  });
}

/** The environment minus VS Code's own variables: VSCODE_IPC_HOOK_CLI would hand our launch to the VS Code we run in. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VSCODE_')));
}

export async function startCodeServer(options: StartOptions): Promise<VsCode> {
  const timeout = options.timeout ?? 60_000;
  const workspace = path.resolve(options.workspace);
  if (!(await stat(workspace).catch(() => undefined))?.isDirectory()) throw new Error(`workspace ${workspace} is not a folder`);
  const bin = await codeServerBinary();
  hookProcessExit();

  const tmp = await mkdtemp(path.join(tmpdir(), 'pydock-e2e-'));
  const dirs = ['--config', path.join(tmp, 'config.yaml'), '--user-data-dir', path.join(tmp, 'user-data'),
    '--extensions-dir', path.join(tmp, 'extensions')];
  let server: ChildProcess | undefined;
  let output: ServerOutput | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const killNow = (): void => {
    killGroup(server, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  };
  exitCleanups.add(killNow);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= (async () => {
    // Unloading the page ends the extension host gracefully, so extensions' deactivate() runs.
    if (page && output && !page.isClosed()) {
      page.on('dialog', (dialog) => void dialog.accept());
      await page.close({ runBeforeUnload: true }).catch(() => undefined);
      await output.waitFor(/Extension Host Process exited/, 'the extension host to exit', 5_000).catch(() => undefined);
    }
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    await rm(tmp, { recursive: true, force: true });
    exitCleanups.delete(killNow);
  })());

  try {
    await mkdir(path.join(tmp, 'user-data', 'User'), { recursive: true });
    await writeFile(path.join(tmp, 'user-data', 'User', 'settings.json'),
      JSON.stringify({ ...BASE_SETTINGS, ...(options.untrusted ? UNTRUSTED_SETTINGS : {}), ...options.settings }, null, 2));

    let t0 = Date.now();
    for (const vsix of [options.vsix].flat()) {
      const installed = await run(bin, [...dirs, '--install-extension', path.resolve(vsix)], timeout);
      if (!/successfully installed/i.test(installed)) throw new Error(`installing ${vsix} did not report success:\n${installed}`);
    }
    const installMs = Date.now() - t0;

    t0 = Date.now();
    server = spawn(bin, [...dirs, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry',
      '--disable-update-check', ...(options.untrusted ? [] : ['--disable-workspace-trust'])],
    { detached: true, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    output = watchOutput(server);
    const [, url] = await output.waitFor(/HTTP server listening on (http:\/\/\S+)/, 'code-server to listen', timeout);
    const startMs = Date.now() - t0;

    t0 = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const address = new URL(url);
    address.searchParams.set('folder', workspace);
    await page.goto(address.href, { waitUntil: 'domcontentloaded', timeout });
    await waitVisible(page.locator('.monaco-workbench .part.activitybar'), 'the workbench activity bar', timeout);
    await waitVisible(page.locator('.monaco-workbench .part.statusbar'), 'the workbench status bar', timeout);
    await waitVisible(page.locator('.explorer-folders-view'), 'the explorer with the workspace folder', timeout);
    await output.waitFor(/Launched Extension Host Process/, 'the extension host to start', timeout);
    const readyMs = Date.now() - t0;

    return driver({ url, page, browser, output, timings: { installMs, startMs, readyMs }, close });
  } catch (error) {
    const log = output?.text();
    await close();
    throw error instanceof Error && log ? new Error(`${error.message}\n--- code-server output ---\n${log}`) : error;
  }
}

function driver(parts: { url: string; page: Page; browser: Browser; output: ServerOutput; timings: Timings; close(): Promise<void> }): VsCode {
  const { page, output, ...rest } = parts;
  return {
    ...rest,
    page,
    runCommand: (title, options) => pick(page, 'F1', `>${title}`, title, undefined, options?.timeout ?? STEP_TIMEOUT),
    openFile: async (relativePath, options) => {
      const timeout = options?.timeout ?? STEP_TIMEOUT;
      const { base, dir } = path.posix.parse(relativePath);
      await pick(page, 'Control+P', relativePath, base, dir || undefined, timeout);
      // .first(): the file may be open and active in two editor groups, e.g. beside a panel that had the focus.
      const tab = page.locator('.tabs-container .tab.active', { has: page.locator('.label-name', { hasText: exactly(base) }) }).first();
      await waitVisible(tab, `an active editor tab for ${relativePath}`, timeout);
    },
    waitForText: (text, options) => waitVisible(page.getByText(text).first(), `the text "${text}"`, options?.timeout ?? STEP_TIMEOUT),
    findFrame: (selector, timeout = STEP_TIMEOUT) => findFrame(page, selector, timeout),
    clipboardText: async (ready) => {
      let text = '';
      for (let i = 0; i < 50 && !ready(text); i++) {
        if (i) await new Promise((resolve) => setTimeout(resolve, 100));
        text = await page.evaluate(() => navigator.clipboard.readText());
      }
      return text;
    },
    screenshot: async (name) => {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await mkdir(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file });
      return file;
    },
    serverLog: () => output.text(),
  };
}

function watchOutput(server: ChildProcess): ServerOutput {
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-LOG_LIMIT);
    listeners.forEach((listener) => listener());
  };
  server.stdout?.on('data', append);
  server.stderr?.on('data', append);
  server.once('exit', () => listeners.forEach((listener) => listener()));
  return {
    text: () => text,
    waitFor: (pattern, what, timeout) => new Promise((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        listeners.delete(check);
        outcome();
      };
      const check = (): void => {
        const match = pattern.exec(text);
        if (match) settle(() => resolve(match));
        else if (server.exitCode !== null || server.signalCode !== null) {
          settle(() => reject(new Error(`code-server exited (${server.exitCode ?? server.signalCode}) while waiting for ${what}`)));
        }
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`expected ${what} within ${timeout} ms`))), timeout);
      listeners.add(check);
      check();
    }),
  };
}

function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** SIGTERM the process group, give code-server 5 s, then SIGKILL whatever is left of the group. */
async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server) return;
  const exited = new Promise<void>((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) resolve();
    else server.once('exit', () => resolve());
  });
  killGroup(server, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, 5_000); })]);
  clearTimeout(timer);
  killGroup(server, 'SIGKILL');
  await exited;
}

async function waitVisible(locator: Locator, what: string, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`expected ${what} to be visible within ${timeout} ms`);
  }
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * Opens quick input with `key`, types `query` and clicks the entry labelled exactly `label` (and described by
 * `description`, if given). The list is computed when the query changes, so entries registered since (e.g. by an
 * extension host still starting) appear only on a fresh query: retype it, waiting longer each time.
 */
async function pick(page: Page, key: string, query: string, label: string, description: string | undefined, timeout: number): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  let entry = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
  if (description) entry = entry.filter({ has: page.locator('.label-description', { hasText: description }) });
  const deadline = Date.now() + timeout;
  for (let wait = 1_000; ; wait *= 2) {
    if (!(await input.isVisible())) await openQuickInput(page, key, input, deadline);
    // Quick input closes when it loses the focus (e.g. to a webview still loading); then the next round reopens it.
    const typed = await input.fill(query, { timeout: 2_000 }).then(() => true, () => false);
    const listed = typed && await entry.first()
      .waitFor({ state: 'visible', timeout: Math.max(Math.min(wait, deadline - Date.now()), 1) })
      .then(() => true, () => false);
    // Quick input may also close between the listing and the click (a start-up editor opening takes the focus).
    if (listed && await entry.first().click({ timeout: 2_000 }).then(() => true, () => false)) break;
    if (Date.now() >= deadline) {
      const seen = await widget.locator('.monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`expected a quick input entry "${label}" for "${query}" within ${timeout} ms; saw ${JSON.stringify(seen)}`);
    }
    if (typed) await input.fill('', { timeout: 2_000 }).catch(() => undefined);
  }
  // The picked list goes away; the widget itself may stay, when the command asks for input next.
  await entry.first().waitFor({ state: 'hidden', timeout });
}

/**
 * Presses `key` until quick input shows. A webview that has the focus (a panel just opened) may not pass keys on to
 * the workbench while it loads, so after a try the focus goes back to the workbench's own document.
 */
async function openQuickInput(page: Page, key: string, input: Locator, deadline: number): Promise<void> {
  for (;;) {
    await page.keyboard.press(key);
    const shown = await input.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false);
    if (shown) return;
    if (Date.now() >= deadline) throw new Error(`expected quick input (opened with ${key}) to be visible`);
    await page.evaluate(`document.activeElement?.tagName === 'IFRAME' && document.activeElement.blur()`);
  }
}

/** Webviews live in nested iframes that appear and fill asynchronously: poll every frame until one has `selector`. */
async function findFrame(page: Page, selector: string, timeout: number): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`expected a frame containing ${selector} within ${timeout} ms (${page.frames().length} frames open)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
