// A new user's first minute in a real VS Code: the image is not on the host, so Shift+Enter pulls it from a registry
// (Debian's docker-registry on 127.0.0.1) in a notification, then shows the output; the walkthrough opens by itself
// on the first activation and each of its steps ticks as the user does it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docker, waitFor } from '../integration/helpers';
import { pushNewVersion, pushUniqueImage, startRegistry, type TestRegistry } from '../integration/registries';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const HELLO_PY = '# %%\nprint(6 * 7)\n';

/** Records every notification toast's text as it appears, however briefly (a pull from a local registry is quick). */
async function recordToasts(vscode: VsCode): Promise<() => Promise<string[]>> {
  await vscode.page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { pydockToasts: string[] }).pydockToasts = seen;
    new MutationObserver(() => {
      for (const toast of document.querySelectorAll('.notification-toast')) {
        const text = (toast as HTMLElement).innerText;
        if (text && seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => vscode.page.evaluate(() => (window as unknown as { pydockToasts: string[] }).pydockToasts);
}

let registry: TestRegistry;
before(async () => {
  registry = await startRegistry();
});
after(() => registry?.stop());

/**
 * code-server on `workspace` with `image` pushed but not pulled, named in the user's settings (so no question about
 * the workspace's environment comes first). Without reattach the window's close removes the container, and the
 * registry's stop can remove the pulled image.
 */
function startWithImage(workspace: string, image: string, settings: Record<string, unknown> = {}): Promise<VsCode> {
  return startCodeServer({ vsix: VSIX, workspace, settings: { ...E2E_SETTINGS, 'pydock.image': image, 'pydock.reattach': false, ...settings } });
}

describe('a first run without the image, in code-server', () => {
  let vscode: VsCode;
  let image: string;
  const workspace = demoWorkspace({ 'hello.py': HELLO_PY });

  before(async () => {
    image = pushUniqueImage(registry, 64 << 20);
    vscode = await startWithImage(workspace, image);
  });
  after(() => vscode?.close());

  /** Runs hello.py's cell with Ctrl+Enter (or `key`), from the editor. */
  async function runHello(key = 'Control+Enter'): Promise<void> {
    await vscode.openFile('hello.py');
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).first().waitFor({ timeout: 30_000 });
    await vscode.page.locator('.monaco-editor .view-line', { hasText: 'print(6 * 7)' }).click();
    await vscode.page.keyboard.press(key);
  }

  it('Shift+Enter shows the pull in a notification naming the image, then the output', async () => {
    const toasts = await recordToasts(vscode);
    await runHello('Shift+Enter');
    const pulling = vscode.page.locator('.notification-toast', { hasText: `pydock: pulling ${image}` });
    await pulling.first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('pull-notification');
    const panel = await vscode.findFrame('.pd-transcript', 120_000);
    await panel.locator('.pd-entry[data-state="done"] .pd-stream-text', { hasText: '42' }).waitFor({ timeout: 120_000 });
    await vscode.screenshot('pull-then-output');
    const seen = await toasts();
    assert.ok(seen.some((t) => t.includes(`pydock: pulling ${image}`) && t.includes('Cancel')), `a cancellable notification naming the image: ${JSON.stringify(seen)}`);
    assert.ok(seen.some((t) => /\d+ of \d+ layers, [\d.]+ (KiB|MiB) of [\d.]+ MiB/.test(t)), `the notification sums layers and bytes: ${JSON.stringify(seen)}`);
    await pulling.first().waitFor({ state: 'hidden', timeout: 30_000 });
  });

  it('pydock: Pull Image brings a new version of the tag and offers a restart; the log records each digest', async () => {
    const before = docker('image', 'inspect', '--format', '{{.Id}}', image);
    pushNewVersion(image, 1 << 20);
    await vscode.runCommand('pydock: Pull Image');
    const offer = vscode.page.locator('.notification-toast', { hasText: `pulled a new ${image}` });
    await offer.first().waitFor({ timeout: 60_000 });
    await vscode.screenshot('pull-image-command');
    await offer.first().getByRole('button', { name: 'Restart' }).click();
    const after = docker('image', 'inspect', '--format', '{{.Id}}', image);
    assert.notEqual(after, before, 'the host has the new version');
    await waitFor(() => docker('ps', '-q', '--filter', `ancestor=${after}`) !== '', 60_000, 'the restarted session to run on the new version')
      .catch(async (error: Error) => { throw new Error(`${error.message}: see ${await vscode.screenshot('pull-image-restart')}`); });

    // The log's newest lines (the output view scrolls to them) name the new version's digest.
    const digest = docker('image', 'inspect', '--format', '{{index .RepoDigests 0}}', image);
    await vscode.runCommand('pydock: Show Log');
    const log = vscode.page.locator('.part.panel .monaco-editor .view-lines').first();
    // Monaco draws spaces as no-break spaces and wraps long lines into rows of their own.
    const shown = async () => (await log.innerText()).replace(/\u00a0/g, ' ').replace(/\s*\n\s*/g, '');
    for (const deadline = Date.now() + 10_000; !(await shown()).includes(`is ${digest}`);) {
      if (Date.now() > deadline) throw new Error(`the log does not name ${digest}: see ${await vscode.screenshot('pull-log')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('Cancel on the notification stops the pull; the next run pulls again and runs', async () => {
    const bigger = pushUniqueImage(registry, 160 << 20);
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pydock.image': bigger }));
    // pydock offers a restart once VS Code has read the new setting; the run below starts a session afresh instead.
    const offer = vscode.page.locator('.notification-toast', { hasText: 'pydock settings changed' });
    await offer.getByRole('button', { name: 'Later' }).click({ timeout: 30_000 });
    await vscode.runCommand('pydock: Stop Session');
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: stopped' }).waitFor({ timeout: 30_000 });
    await runHello();
    // The workspace now chooses the image, so pydock asks first.
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: `Image: ${bigger}` });
    await dialog.waitFor({ timeout: 30_000 }).catch(async (error) => {
      throw new Error(`${error.message}: see ${await vscode.screenshot('pull-no-dialog')}`);
    });
    await dialog.getByRole('button', { name: 'Allow' }).click();
    const pulling = vscode.page.locator('.notification-toast', { hasText: `pydock: pulling ${bigger}` });
    await pulling.first().getByRole('button', { name: 'Cancel' }).click({ timeout: 30_000 });
    const cancelled = vscode.page.locator('.notification-toast', { hasText: `The pull of ${bigger} was cancelled` });
    await cancelled.first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('pull-cancelled');
    assert.throws(() => docker('image', 'inspect', bigger), /No such image/, 'the cancelled pull left no image');
    await runHello();
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry[data-state="done"] .pd-stream-text', { hasText: '42' }).nth(1).waitFor({ timeout: 120_000 });
    assert.doesNotThrow(() => docker('image', 'inspect', bigger), 'pulled on the second run');
  });
});

describe('the walkthrough, in code-server', () => {
  let vscode: VsCode;
  let image: string;
  const workspace = demoWorkspace({ 'hello.py': HELLO_PY });

  before(async () => {
    image = pushUniqueImage(registry, 16 << 20);
    // A start-up editor other than none lets pydock open its walkthrough, as VS Code opens one after an install.
    vscode = await startWithImage(workspace, image, { 'workbench.startupEditor': 'readme' });
  });
  after(() => vscode?.close());

  const step = (id: string) => vscode.page.locator(`[data-step-id="pydock.pydock#gettingStarted#${id}"]`);
  /** Expands a step and presses its button. */
  async function press(id: string, button: string): Promise<void> {
    await vscode.page.getByRole('tab', { name: /Walkthrough: pydock/ }).click();
    await step(id).click();
    await vscode.page.getByRole('button', { name: button, exact: true }).click();
  }
  async function ticked(id: string): Promise<void> {
    await vscode.page.getByRole('tab', { name: /Walkthrough: pydock/ }).click();
    await step(id).and(vscode.page.locator('[aria-checked="true"]')).waitFor({ timeout: 60_000 }).catch(async () => {
      throw new Error(`the step ${id} was not ticked: see ${await vscode.screenshot(`walkthrough-not-${id}`)}`);
    });
  }

  it('opens on the first activation, and ticks Docker by itself', async () => {
    await vscode.openFile('hello.py');
    await vscode.waitForText('Get started with pydock', { timeout: 30_000 });
    await ticked('docker');
    for (const id of ['environment', 'prepare', 'run']) assert.equal(await step(id).getAttribute('aria-checked'), 'false', id);
    await vscode.screenshot('walkthrough-opened');
  });

  it('ticks each step as the user does it: choose the environment, pull it, run a first cell', async () => {
    await press('environment', 'Choose Environment');
    // Keys, not a click: the walkthrough's media can lie over the list. The walkthrough may take the focus back as it
    // redraws, and an Enter it gets presses its button again, which shows a fresh pick: then the user picks again.
    const widget = vscode.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    for (let attempt = 1; ; attempt++) {
      await widget.locator('.monaco-list-row', { hasText: 'Default image' }).waitFor({ timeout: 30_000 });
      await input.fill('Default image');
      await input.press('Enter');
      const closed = await widget.waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false);
      if (closed) break;
      if (attempt === 3) throw new Error(`the environment pick stayed open: see ${await vscode.screenshot('walkthrough-pick-open')}`);
    }
    await ticked('environment');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(workspace, '.pydock', 'environment.json'), 'utf8')), { image });

    await press('prepare', 'Pull or Build');
    await vscode.page.locator('.notification-toast', { hasText: 'the environment is ready' }).first().waitFor({ timeout: 120_000 });
    assert.doesNotThrow(() => docker('image', 'inspect', image), 'the image was pulled');
    await ticked('prepare');

    await press('run', 'Run a First Cell');
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry[data-state="done"] .pd-stream-text', { hasText: 'running in pydock' }).waitFor({ timeout: 60_000 });
    await ticked('run');
    await vscode.screenshot('walkthrough-done');
  });
});
