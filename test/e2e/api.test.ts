// Another extension uses pydock's API through vscode.extensions.getExtension('pydock.pydock').exports, in code-server.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, REPO, VSIX, demoWorkspace } from './workspace';

/** A tiny extension that depends on pydock and reports what its API answers. */
function buildProbeExtension(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-probe-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'pydock-api-probe', publisher: 'pydock-test', version: '0.0.1', license: 'MIT', engines: { vscode: '^1.100.0' },
    main: './extension.js', extensionDependencies: ['pydock.pydock'],
    contributes: { commands: [{ command: 'pydockProbe.run', title: 'pydock API Probe' }] },
  }));
  fs.writeFileSync(path.join(dir, 'README.md'), 'Uses the pydock API in the e2e tests.\n');
  fs.writeFileSync(path.join(dir, 'extension.js'), `
const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('pydockProbe.run', async () => {
    const pydock = vscode.extensions.getExtension('pydock.pydock');
    const api = pydock.isActive ? pydock.exports : await pydock.activate();
    try {
      const batched = await api.py().define('a', 20).exec('b = a + 1').eval('a + b + 1');
      const interactive = await api.interactive().eval('6 * 7');
      const marker = (await api.py().eval('__import__("pydock").Marker')) === api.values.Marker;
      vscode.window.showInformationMessage('probe: ' + batched + ' ' + interactive + ' ' + marker);
    } catch (error) {
      vscode.window.showErrorMessage('probe failed: ' + error.message);
    }
  }));
};
`);
  execFileSync(process.execPath, [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '-o', 'probe.vsix'],
    { cwd: dir, stdio: 'pipe' });
  return path.join(dir, 'probe.vsix');
}

describe('the API as another extension uses it', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace();

  before(async () => {
    vscode = await startCodeServer({ vsix: [VSIX, buildProbeExtension()], workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
  });

  it('runs py() batches, the interactive session and value types through the extension exports', async () => {
    await vscode.openFile('analysis.py');
    await vscode.runCommand('pydock API Probe');
    await vscode.waitForText('probe: 42 42 true', { timeout: 60_000 });
    await vscode.screenshot('api-probe');
  });
});
