// Debugging where the image has no debugpy, as a user meets it in code-server: Debug Cell fails and offers "Add debugpy
// to the environment"; the environment file gains it, the restart builds the derived image, and Debug Cell then stops.
// The one stand-in is the package index: none is reachable here, so the workspace installs from its own wheelhouse
// (`--no-index`, `--find-links`, as offline teams do), which holds a real debugpy sdist made from Debian's debugpy
// files. The image without debugpy is pydock-local/python:full with Debian's debugpy removed, built here and removed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clickGutter, continueToEnd, lens, stoppedAt } from './debugSteps';
import type { Frame } from 'playwright-core';
import { startCodeServer, type VsCode } from './harness';
import { buildImageWithoutDebugpy, removeImagesOf, writeDebugpySdist } from './offlineDebugpy';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const CELLS = '# %%\nbase = 20\n# %%\nz = base * 2\nw = z + 1\nprint("w is", w)\n';
const WHEELHOUSE = ['--no-index', '--find-links ./wheelhouse'];

describe('Adding debugpy to an environment without it, in code-server', () => {
  let vscode: VsCode;
  const marker = randomBytes(6).toString('hex');
  const image = `pydock-test/no-debugpy:${marker}`;
  const workspace = demoWorkspace({ 'cells.py': CELLS });
  const environmentFile = path.join(workspace, '.pydock', 'environment.json');
  const environment = { image, requirements: WHEELHOUSE, pipArgs: ['--no-build-isolation'], network: 'none' };

  before(async () => {
    buildImageWithoutDebugpy(image, marker);
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-debugpy-sdist-'));
    writeDebugpySdist(path.join(workspace, 'wheelhouse'), staging);
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(environmentFile));
    fs.writeFileSync(environmentFile, JSON.stringify(environment, null, 2));
    vscode = await startCodeServer({
      vsix: VSIX, workspace,
      settings: { ...E2E_SETTINGS, 'pydock.reattach': false, 'debug.openDebug': 'openOnDebugBreak' },
    });
  });
  after(async () => {
    await vscode?.close();
    await removeImagesOf(marker);
  });

  /** The (first) notification saying `text`: a file watcher may fire twice for one write. */
  const toast = (text: string) => vscode.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

  /** Debug Cell on the second cell, whose line 5 has a breakpoint; debugpy is missing, so pydock offers to add it. */
  async function debugCellOffer(): Promise<ReturnType<typeof toast>> {
    await lens(vscode, 'Debug Cell').nth(1).click();
    const offer = toast('cannot debug');
    await settled(offer);
    assert.match(await offer.innerText(), /cannot import debugpy/);
    return offer;
  }

  /** A session start that builds the derived image shows the build while it runs. */
  async function buildShown(screenshot: string): Promise<void> {
    const building = toast('pydock: building');
    await settled(building);
    await vscode.screenshot(screenshot);
    assert.doesNotMatch(await building.innerText(), /pydock-env\//, 'the notification says what is built, not its hash tag');
    await building.waitFor({ state: 'hidden', timeout: 240_000 });
  }

  /** Shown and done sliding in, so a screenshot shows it as a user reads it (a trial click waits for a stable box). */
  async function settled(notification: ReturnType<typeof toast>): Promise<void> {
    await notification.waitFor({ timeout: 60_000 });
    await notification.click({ trial: true, timeout: 10_000 });
  }

  /** The editor wrote the file (the save is asynchronous; code-server has no event a page can see for it). */
  async function saved(file: string, content: RegExp): Promise<void> {
    for (const deadline = Date.now() + 10_000; !content.test(fs.readFileSync(file, 'utf8'));) {
      if (Date.now() > deadline) throw new Error(`${file} was not saved with ${content}: see ${await vscode.screenshot('debugpy-not-saved')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A restart loses the variables: the first cell runs again, as a user runs it, before the second is debugged. */
  async function runFirstCellAgain(panel: Frame): Promise<void> {
    const done = panel.locator('.pd-entry[data-state="done"]');
    const before = await done.count();
    await lens(vscode, 'Run Cell').first().click();
    await done.nth(before).waitFor({ timeout: 60_000 });
  }

  it('offers to add debugpy, builds the image with it after the restart, and Debug Cell then stops at the breakpoint', async () => {
    await vscode.openFile('cells.py');
    await lens(vscode, 'Run Cell').first().click();
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: `Image: ${image} (built from requirements)` });
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Allow' }).click();
    const panel = await vscode.findFrame('.pd-transcript', 240_000);
    await panel.locator('.pd-entry').first().waitFor({ timeout: 240_000 });
    await clickGutter(vscode, 5);

    const offer = await debugCellOffer();
    await vscode.screenshot('debugpy-offer');
    await offer.getByRole('button', { name: 'Add debugpy to the environment' }).click();
    const restart = toast('environment.json changed');
    await settled(restart);
    assert.deepEqual(JSON.parse(fs.readFileSync(environmentFile, 'utf8')), { ...environment, requirements: [...WHEELHOUSE, 'debugpy'] });
    await vscode.screenshot('debugpy-restart-offer');
    assert.equal(await toast('did not start').count(), 0, 'the offer is the one word on the failed start');
    await restart.getByRole('button', { name: 'Restart' }).click();
    await buildShown('debugpy-building');

    await runFirstCellAgain(panel);
    await lens(vscode, 'Debug Cell').nth(1).click();
    await stoppedAt(vscode, 5);
    await vscode.screenshot('debugpy-stopped');
    await continueToEnd(vscode);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'w is 41' }).waitFor({ timeout: 30_000 });
  });

  it('says which line to add when the requirements are a file, opens it, and that line makes Debug Cell stop', async () => {
    const requirements = path.join(workspace, 'requirements.txt');
    fs.writeFileSync(requirements, `${WHEELHOUSE.join('\n')}\n`);
    fs.writeFileSync(environmentFile, JSON.stringify({ ...environment, requirements: 'requirements.txt' }, null, 2));
    // The restart builds an image without debugpy (too quick to catch reliably); Debug Cell waits for the session.
    await toast('environment.json changed').getByRole('button', { name: 'Restart' }).click({ timeout: 30_000 });

    const offer = await debugCellOffer();
    assert.match(await offer.innerText(), /To debug, add a line "debugpy" to requirements\.txt, then restart the session/);
    await vscode.screenshot('debugpy-manual');
    await offer.getByRole('button', { name: 'Open requirements.txt' }).click();
    const tab = vscode.page.locator('.tabs-container .tab.active', { hasText: 'requirements.txt' });
    await tab.waitFor({ timeout: 10_000 });
    await vscode.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await vscode.page.keyboard.press('Control+End');
    await vscode.page.keyboard.type('debugpy\n');
    await vscode.page.keyboard.press('Control+S');
    await saved(requirements, /^debugpy$/m);
    await vscode.runCommand('pydock: Restart Session');
    await buildShown('debugpy-manual-rebuilding');
    await vscode.openFile('cells.py');
    await runFirstCellAgain(await vscode.findFrame('.pd-transcript', 30_000));
    await lens(vscode, 'Debug Cell').nth(1).click();
    await stoppedAt(vscode, 5);
    await continueToEnd(vscode);
  });
});
