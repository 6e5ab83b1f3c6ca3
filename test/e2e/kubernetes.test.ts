// pydock in a real VS Code on the kubernetes backend (the stand-in API server of the integration tests): the start
// shows what the cluster says while the pod waits for a node, then the output; the status bar names the backend; Run
// File as Job runs a Kubernetes Job whose log and outputs are collected into the workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireImages } from '../integration/helpers';
import { KubeStandIn } from '../integration/kube/standIn';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('a session on kubernetes, in code-server', () => {
  let standIn: KubeStandIn;
  let vscode: VsCode;
  const workspace = demoWorkspace({
    'hello.py': '# %%\nprint(6 * 7)\n',
    'job.py': 'import os\nprint("on", os.environ["PYDOCK_JOB_ID"])\nopen("/outputs/answer.txt", "w").write("42")\n',
  });

  before(async () => {
    requireImages();
    standIn = await KubeStandIn.start();
    standIn.faults.holdPending = true;
    process.env.KUBECONFIG = standIn.kubeconfig; // code-server and its extension host inherit it
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: { ...E2E_SETTINGS, 'pydock.backend': 'kubernetes', 'pydock.reattach': false } });
  });
  after(async () => {
    await vscode?.close();
    await standIn?.close();
  });

  it('shows Unschedulable with the scheduler\'s message while the pod waits, then the output; the status bar says kubernetes', async () => {
    await vscode.openFile('hello.py');
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).first().waitFor({ timeout: 30_000 });
    await vscode.page.locator('.monaco-editor .view-line', { hasText: 'print(6 * 7)' }).click();
    await vscode.page.keyboard.press('Shift+Enter');
    const pending = vscode.page.locator('.notification-toast', { hasText: 'pydock: starting a pod' });
    await pending.first().waitFor({ timeout: 30_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}: see ${await vscode.screenshot('kubernetes-no-notification')}`);
    });
    const text = await pending.first().innerText();
    assert.match(text, /Unschedulable: 0\/1 nodes are available: 1 Insufficient nvidia\.com\/gpu/, text);
    await vscode.screenshot('kubernetes-pending');
    standIn.release(); // a node came: the pod runs
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry[data-state="done"] .pd-stream-text', { hasText: '42' }).waitFor({ timeout: 60_000 });
    await pending.first().waitFor({ state: 'hidden', timeout: 30_000 });
    await vscode.page.locator('.statusbar-item', { hasText: 'kubernetes (pydock-local/python:full)' }).waitFor({ timeout: 10_000 });
    await vscode.screenshot('kubernetes-output');
    assert.equal(standIn.podNames().length, 1, 'one pod runs the session');
  });

  it('runs a file as a Kubernetes Job: the Jobs view says why it waits, then that it succeeded, with its log and outputs in the workspace', async () => {
    await vscode.openFile('job.py');
    await vscode.runCommand('pydock: Run File as Job…');
    const input = vscode.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.press('Enter');
    await vscode.runCommand('View: Show pydock');
    const row = vscode.page.locator('.pane-body .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: /^job\.py$/ }) }).first();
    await row.locator('.label-description', { hasText: /^queued · pod pending: Unschedulable/ }).waitFor({ timeout: 60_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}: see ${await vscode.screenshot('kubernetes-job-no-reason')}`);
    });
    await vscode.screenshot('kubernetes-job-pending');
    standIn.faults.holdPending = false;
    standIn.release(); // a node came
    await row.locator('.label-description', { hasText: /^succeeded/ }).waitFor({ timeout: 90_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}: see ${await vscode.screenshot('kubernetes-job-unexpected')}`);
    });
    await vscode.screenshot('kubernetes-job-succeeded');
    const [id] = fs.readdirSync(path.join(workspace, '.pydock', 'runs'));
    const run = (name: string) => fs.readFileSync(path.join(workspace, '.pydock', 'runs', id, name), 'utf8');
    assert.equal(JSON.parse(run('run.json')).status, 'succeeded');
    assert.equal(run('outputs/answer.txt'), '42');
    assert.match(run('log.txt'), new RegExp(`out on ${id}\n`));
    assert.ok(!standIn.podNames().some((name) => name.includes(id.toLowerCase())), 'the Job and its pod are deleted once collected');
  });
});
