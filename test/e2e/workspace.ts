// Test workspaces for e2e runs: a copy of demo/ plus extra files, and the settings that point pydock at the local image.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

export const REPO = path.resolve(__dirname, '../..');
export const VSIX = path.join(REPO, 'dist', 'pydock.vsix');
export const E2E_SETTINGS = { 'pydock.image': 'pydock-local/python:full', 'pydock.backend': 'docker' };

/** A temporary copy of demo/ with extra files; removed when the test file ends. */
export function demoWorkspace(extra: Record<string, string> = {}): string {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run "npm run package" (the README's test command does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-e2e-'));
  fs.cpSync(path.join(REPO, 'demo'), dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
