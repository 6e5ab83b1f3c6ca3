// job() in the library API on real containers (and as Kubernetes Jobs through the stand-in): run a file or a function,
// wait, logs, outputs, cancel, gather.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApi, gather } from '../../extension/api';
import { BARE_IMAGE, docker, requireImages, tempWorkspace, testLog } from './helpers';
import { kubeCluster } from './kube/kubeCluster';

before(requireImages);

function workspace(files: Record<string, string>): string {
  const dir = tempWorkspace();
  fs.mkdirSync(path.join(dir, '.pydock'));
  fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: BARE_IMAGE }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  after(() => {
    const ids = docker('ps', '-aq', '--filter', `label=pydock.workspace=${dir}`).split('\n').filter(Boolean);
    if (ids.length) docker('rm', '-f', ...ids);
  });
  return dir;
}

describe('job()', () => {
  for (const backend of ['docker', 'kubernetes'] as const) it(`on ${backend}: runs a file and a function, gathers their ends, reads the log and the collected outputs`, async () => {
    if (backend === 'kubernetes') await kubeCluster();
    const dir = workspace({ 'report.py': 'import sys\nprint("rows", sys.argv[1])\nopen("/outputs/report.txt", "w").write("done " + sys.argv[1])\n',
      'tasks.py': 'def total(xs):\n    return sum(xs)\n' });
    const api = createApi({ defaults: { log: testLog, pull: 'never' } });
    try {
      const runner = api.job({ workspace: dir, backend });
      const report = runner.run('report.py', ['12']);
      const total = runner.run('tasks:total', [[1, 2, 3]]);
      assert.match(report.id, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
      const lines: string[] = [];
      for await (const entry of report.logs()) lines.push(entry.text);
      assert.deepEqual(lines, ['rows 12']);
      const [r1, r2] = await gather(report.wait(), total.wait());
      assert.deepEqual([r1.status, r2.status], ['succeeded', 'succeeded']);
      const [file] = await report.outputs();
      assert.equal(fs.readFileSync(file.file, 'utf8'), 'done 12');
      assert.equal(file.path, 'report.txt');
      assert.equal(fs.readFileSync(path.join((await total.outputs())[0].file), 'utf8'), '6\n');
      assert.equal(path.dirname(path.dirname(report.folder)), path.join(dir, '.pydock'));
    } finally {
      await api.closeAll();
    }
  });

  it('cancel() stops a running job and records it cancelled', async () => {
    const dir = workspace({ 'forever.py': 'import time\nprint("up", flush=True)\ntime.sleep(600)\n' });
    const api = createApi({ defaults: { log: testLog, pull: 'never' } });
    try {
      const forever = api.job({ workspace: dir }).run('forever.py');
      for await (const _ of forever.logs()) break; // it runs
      const waited = forever.wait().then((record) => ({ record, containers: docker('ps', '-aq', '--filter', `label=pydock.job=${forever.id}`) }));
      const record = await forever.cancel();
      assert.equal(record.status, 'cancelled');
      const { record: ended, containers } = await waited;
      assert.equal(ended.status, 'cancelled');
      assert.equal(containers, '', 'a wait resolves once the cancelled job is collected and its container gone');
      assert.match(fs.readFileSync(path.join(forever.folder, 'log.txt'), 'utf8'), / out up\n$/, 'what it printed is collected');
    } finally {
      await api.closeAll();
    }
  });
});
