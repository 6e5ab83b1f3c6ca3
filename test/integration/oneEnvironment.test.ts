// One environment everywhere: the CLI's eval, run and table and the library API read the workspace's .pydock/environment.json.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createApi } from '../../extension/api';
import { buildCli, runCli } from './cliSupport';
import { BARE_IMAGE, tempWorkspace, testLog } from './helpers';

buildCli();

/** What the container says about itself: the env var the file sets and its memory limit (cgroup v1 or v2). */
const PROBE = 'import os\n' +
  'limit = next(open(p).read().strip() for p in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes") if os.path.exists(p))\n' +
  'print(os.environ.get("FROM_FILE"), limit)';
const EXPECTED = `yes ${300 * 1024 * 1024}`;

/** A workspace whose environment file names an image (not the default, which cannot be pulled here), an env var and a limit. */
function workspaceWithFile(): string {
  const dir = tempWorkspace();
  fs.mkdirSync(path.join(dir, '.pydock'));
  fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: BARE_IMAGE, env: { FROM_FILE: 'yes' }, memory: '300m' }));
  return dir;
}

describe('the CLI reads .pydock/environment.json of --workspace, or of the current folder', () => {
  it('eval --workspace DIR uses the image, env and memory the file names', () => {
    const result = runCli(['eval', '--backend', 'docker', '--pull', 'never', '--workspace', workspaceWithFile(), PROBE], { cwd: tempWorkspace() });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${EXPECTED}\n`);
  });

  it('run FILE from the workspace as the current folder', () => {
    const dir = workspaceWithFile();
    fs.writeFileSync(path.join(dir, 'probe.py'), PROBE);
    const result = runCli(['run', '--backend', 'docker', '--pull', 'never', 'probe.py'], { cwd: dir });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${EXPECTED}\n`);
  });

  it('table, and a flag still wins over the file', () => {
    const result = runCli(['table', '--backend', 'docker', '--pull', 'never', '--workspace', workspaceWithFile(), '--memory', '200m', '--json',
      `${PROBE.replace(/print\((.*)\)$/, 'out = [$1]')}\n[{"env": out[0], "limit": out[1]}]`], { cwd: tempWorkspace() });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).rows, [['yes', String(200 * 1024 * 1024)]]);
  });
});

describe('the library API reads the same file', () => {
  it('py({ workspace }) starts from the file', async () => {
    const api = createApi({ defaults: { backend: 'docker', log: testLog, pull: 'never' } });
    try {
      const value = await api.py({ workspace: workspaceWithFile() }).exec(PROBE.replace(/print\((.*)\)$/, 'out = " ".join(map(str, [$1]))')).eval('out');
      assert.equal(value, EXPECTED);
    } finally {
      await api.closeAll();
    }
  });
});
