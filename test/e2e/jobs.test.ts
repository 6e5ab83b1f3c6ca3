// Jobs in a real VS Code: Run File as Job, the Jobs view shows it running then succeeded, progress in the status bar,
// the end notification, Open Log in a read-only editor and Reveal Outputs in the Explorer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

/** Prints a line a second until the test says the window has reloaded (a file the read-only /workspace shows), then ends. */
const COUNTING = 'import os, time\ni = 0\nwhile i < 6 or not os.path.exists("/workspace/reloaded"):\n' +
  '    print("line", i, flush=True)\n    i += 1\n    time.sleep(1)\n    if i > 120: break\nprint("end", flush=True)\n';

const JOB = 'import pydock, sys, time\nprint("job starts with", sys.argv[1:], flush=True)\npydock.progress(0.5, "half way")\n' +
  'time.sleep(6)\nopen("/outputs/answer.txt", "w").write("42")\nprint("job done")\n';

describe('Jobs in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'job.py': JOB, 'count.py': COUNTING, 'tasks.py': 'def add(a, b):\n    return a + b\n' });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=pydock.workspace=${workspace}`], { encoding: 'utf8' }).trim();
    if (left) execFileSync('docker', ['rm', '-f', ...left.split('\n')]);
  });

  /** The Jobs view's newest row of the job with this name. */
  const row = (name = 'job.py') => vscode.page.locator('.pane-body .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) }).first();
  async function rowShows(description: RegExp, timeout: number, name = 'job.py'): Promise<void> {
    try {
      await row(name).locator('.label-description', { hasText: description }).waitFor({ timeout });
    } catch {
      throw new Error(`expected the Jobs view to show ${name} as ${description}; saw ${JSON.stringify(await row(name).allInnerTexts())}: see ${await vscode.screenshot('jobs-view-unexpected')}`);
    }
  }
  const rowAction = async (name: string, action: string) => {
    await row(name).hover();
    await row(name).locator(`.action-label[aria-label="${action}"]`).click();
  };
  /** The text of the active editor's lines, top to bottom (all of them: the tests keep logs short). */
  const editorLines = () => vscode.page.locator('.editor-instance .monaco-editor .view-lines').first()
    .evaluate((lines) => [...lines.querySelectorAll('.view-line')].sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')));

  it('runs the file as a job with the arguments asked for; the view shows it running, with its progress in the status bar', async () => {
    await vscode.openFile('job.py');
    await vscode.runCommand('pydock: Run File as Job…');
    const input = vscode.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('alpha "b c"');
    await input.press('Enter');
    await vscode.runCommand('View: Show pydock');
    await rowShows(/^running/, 60_000);
    await vscode.page.locator('.statusbar-item', { hasText: 'job.py 50% half way' }).first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('jobs-running');
  });

  it('then shows it succeeded, with a notification that leaves the focus where it was', async () => {
    await rowShows(/^succeeded \d+\.\d s$/, 60_000);
    const toast = vscode.page.locator('.notification-toast', { hasText: 'job "job.py" succeeded' });
    await toast.waitFor({ timeout: 10_000 });
    assert.equal(await vscode.page.locator('.notification-toast :focus').count(), 0, 'the notification did not take the focus');
    await vscode.screenshot('jobs-succeeded');
    const runs = fs.readdirSync(path.join(workspace, '.pydock', 'runs'));
    assert.equal(runs.length, 1);
    const record = JSON.parse(fs.readFileSync(path.join(workspace, '.pydock', 'runs', runs[0], 'run.json'), 'utf8'));
    assert.deepEqual([record.status, record.args, record.outputs.map((o: { path: string }) => o.path)], ['succeeded', ['alpha', 'b c'], ['answer.txt']]);
  });

  it('Open Log shows the whole log in a read-only editor', async () => {
    await row().hover();
    await row().locator('.action-label[aria-label="Open Log"]').click();
    const editor = vscode.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: "job starts with ['alpha', 'b c']" }).waitFor({ timeout: 20_000 });
    await editor.locator('.view-line', { hasText: 'job done' }).waitFor({ timeout: 20_000 });
    await editor.locator('.view-line', { hasText: '── succeeded' }).waitFor({ timeout: 20_000 });
    await vscode.page.keyboard.type('typed');
    assert.equal(await editor.locator('.view-line', { hasText: 'typed' }).count(), 0, 'the log cannot be edited');
    await vscode.screenshot('jobs-log');
  });

  it('Reveal Outputs shows the collected outputs folder in the Explorer', async () => {
    await vscode.runCommand('View: Show pydock');
    await row().hover();
    await row().locator('.action-label[aria-label="Reveal Outputs"]').click();
    const selected = vscode.page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: 'answer.txt' });
    await selected.waitFor({ timeout: 20_000 });
    await vscode.page.locator('.explorer-folders-view .monaco-list-row[aria-expanded="true"]', { hasText: /^outputs$/ }).waitFor({ timeout: 5_000 });
    await vscode.screenshot('jobs-reveal-outputs');
  });

  it('Run Function as Job… asks for module:function and its JSON arguments; the result is among the outputs', async () => {
    await vscode.runCommand('pydock: Run Function as Job…');
    const input = vscode.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('tasks:add');
    await input.press('Enter');
    await vscode.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Arguments of tasks:add' }).waitFor({ timeout: 10_000 });
    await input.fill('[2, 3]');
    await input.press('Enter');
    await vscode.runCommand('View: Show pydock');
    await rowShows(/^succeeded/, 60_000, 'tasks:add');
    const run = fs.readdirSync(path.join(workspace, '.pydock', 'runs')).find((id) =>
      JSON.parse(fs.readFileSync(path.join(workspace, '.pydock', 'runs', id, 'run.json'), 'utf8')).target === 'tasks:add')!;
    assert.equal(fs.readFileSync(path.join(workspace, '.pydock', 'runs', run, 'outputs', 'result.json'), 'utf8'), '5\n');
  });

  it('a window reload while a job runs: the view finds it again, and its log has every line once, in order', async () => {
    await vscode.openFile('count.py');
    await vscode.runCommand('pydock: Run File as Job…');
    const input = vscode.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.press('Enter');
    await vscode.runCommand('View: Show pydock');
    await rowShows(/^running/, 60_000, 'count.py');
    await rowAction('count.py', 'Open Log');
    await vscode.page.locator('.editor-instance .view-line', { hasText: 'line 2' }).first().waitFor({ timeout: 30_000 });

    await vscode.runCommand('Developer: Reload Window');
    await vscode.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await vscode.runCommand('View: Show pydock');
    await rowShows(/^running/, 60_000, 'count.py');
    await vscode.screenshot('jobs-after-reload');
    fs.writeFileSync(path.join(workspace, 'reloaded'), '');
    await rowShows(/^succeeded/, 60_000, 'count.py');
    await rowAction('count.py', 'Open Log');
    await vscode.page.locator('.editor-instance .view-line', { hasText: '── succeeded' }).first().waitFor({ timeout: 30_000 });
    const lines = (await editorLines()).filter((line) => /\s(line \d+|end)$/.test(line)).map((line) => line.replace(/^\S+\s+/, ''));
    const count = lines.length - 1;
    assert.deepEqual(lines, [...Array.from({ length: count }, (_, i) => `line ${i}`), 'end'], `every line once: ${JSON.stringify(lines)}`);
    await vscode.screenshot('jobs-log-after-reload');
  });

  it('Rerun runs it again; Stop cancels it; Delete Record removes its row and its folder', async () => {
    fs.rmSync(path.join(workspace, 'reloaded'));
    await vscode.runCommand('View: Show pydock');
    const before = fs.readdirSync(path.join(workspace, '.pydock', 'runs')).length;
    await rowAction('count.py', 'Rerun');
    await rowShows(/^running/, 60_000, 'count.py');
    assert.equal(fs.readdirSync(path.join(workspace, '.pydock', 'runs')).length, before + 1);
    await rowAction('count.py', 'Stop');
    await rowShows(/^cancelled/, 60_000, 'count.py');
    const rows = () => vscode.page.locator('.pane-body .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: /^count\.py$/ }) });
    assert.equal(await rows().count(), 2);
    await rowAction('count.py', 'Delete Record');
    await rows().nth(1).waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(fs.readdirSync(path.join(workspace, '.pydock', 'runs')).length, before);
    await vscode.runCommand('pydock: Refresh Jobs');
    await row('job.py').waitFor({ timeout: 10_000 });
    assert.deepEqual(await vscode.page.locator('.pane-body .monaco-list-row .label-name', { hasText: /^\d{8}-/ }).allInnerTexts(), [],
      'no lost job appears where the deleted one was');
    await vscode.screenshot('jobs-after-delete');
  });
});
