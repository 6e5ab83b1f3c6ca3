// What is published: the library as another package loads it (require('pydock/api') through exports, on Docker), and the .vsix's files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as Api from '../../extension/api';
import { BARE_IMAGE, PACKAGE, REPO, requireImages } from './helpers';

const ENTRY = path.join(REPO, PACKAGE.exports['./api'].default);
// Resolves as code inside the package does, so 'pydock/api' goes through package.json's exports (Node self-reference).
const packageRequire = createRequire(path.join(REPO, 'package.json'));

before(() => {
  requireImages();
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" (the README's test command does)`);
});

describe('the pydock/api package entry', () => {
  it('resolves to the built dist/api.js, with the declarations exports names beside it', () => {
    assert.equal(packageRequire.resolve('pydock/api'), path.join(REPO, 'dist', 'api.js'));
    const types = path.join(REPO, PACKAGE.exports['./api'].types);
    assert.ok(fs.existsSync(types), `${types} is missing: run "npm run build"`);
  });

  it('does not require vscode, so plain Node can use it', () => {
    // vscode is external to every bundle: a require of it anywhere, even a lazy one, would stay in the text.
    assert.doesNotMatch(fs.readFileSync(ENTRY, 'utf8'), /require\(\s*["']vscode["']\s*\)/);
  });

  it('runs py() in a container: defines and code travel with the eval, values come back typed', async () => {
    const api = packageRequire('pydock/api') as typeof Api;
    after(() => api.closeAll());
    const value = await api.py({ image: BARE_IMAGE, backend: 'docker', memory: '1g' })
      .define('a', 100)
      .define('b', 2)
      .exec('def mult(x, y): return x * y\n')
      .eval('(mult(a, b), 2 ** 70)');
    assert.deepEqual(value, [200, 2n ** 70n]);
  });
});

describe('the .vsix', () => {
  it('ships the bundles and the agent, and no tests or sources', () => {
    const vsix = path.join(REPO, 'dist', 'pydock.vsix');
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run "npm run package" (the README's test command does)`);
    const list = 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))';
    const files = execFileSync('python3', ['-c', list, vsix], { encoding: 'utf8' }).trim().split('\n');
    for (const wanted of ['extension/dist/extension.js', 'extension/dist/api.js', 'extension/python-agent/pydock_agent/server.py',
      'extension/python-agent/pydock/__init__.py', 'extension/schemas/environment.schema.json']) {
      assert.ok(files.includes(wanted), `${wanted} is in the package`);
    }
    const unwanted = files.filter((f) => /(^|\/)(tests?|bench|node_modules)\/|\.ts$|python-agent\/tests/.test(f));
    assert.deepEqual(unwanted, [], 'no tests, benchmarks, modules or TypeScript sources');
  });
});
