// The tree's import rule: engine code never reaches the VS Code layer or the webviews, webviews never reach the
// extension, and shared/ (compiled by both sides) reaches nothing outside itself.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

interface Edge { file: string; target: string }

/** Every import of every TypeScript file under the folder: relative ones resolved to repository paths. */
function importsUnder(folder: string): Edge[] {
  const files = readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((name) => {
    const file = path.posix.join(folder, name.split(path.sep).join('/'));
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    return [...text.matchAll(IMPORT)].map((m) => {
      const spec = m[1] ?? m[2];
      return { file, target: spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : spec };
    });
  });
}

const inside = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);
const describeEdges = (edges: Edge[]) => edges.map((e) => `${e.file} imports ${e.target}`).join('\n');

describe('layering', () => {
  it('shared/ imports only shared/: both the extension and the browser compile it', () => {
    assert.deepEqual(describeEdges(importsUnder('shared').filter((e) => !inside(e.target, 'shared'))), '');
  });

  it('extension/engine imports no vscode (nor its language client), nothing of the VS Code layer and nothing from webview/', () => {
    const outside = importsUnder('extension/engine').filter((e) => e.target === 'vscode' || e.target.startsWith('vscode-languageclient')
      || inside(e.target, 'webview') || (inside(e.target, 'extension') && !inside(e.target, 'extension/engine')));
    assert.deepEqual(describeEdges(outside), '');
  });

  it('extension/ imports nothing from webview/', () => {
    assert.deepEqual(describeEdges(importsUnder('extension').filter((e) => inside(e.target, 'webview'))), '');
  });

  it('webview/ imports only webview/, shared/ and browser packages', () => {
    const relative = (t: string) => inside(t, 'webview') || inside(t, 'shared') || inside(t, 'extension') || inside(t, 'python-agent');
    const outside = importsUnder('webview').filter((e) => (relative(e.target) ? !inside(e.target, 'webview') && !inside(e.target, 'shared')
      : e.target === 'vscode' || e.target.startsWith('node:')));
    assert.deepEqual(describeEdges(outside), '');
  });
});
