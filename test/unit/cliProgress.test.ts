// The CLI's launch progress: plain lines off a terminal, one redrawn line on one, everything in the log with --verbose.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliProgress, type ProgressOutput } from '../../extension/cli/progress';
import type { LaunchProgress } from '../../extension/engine/launch/launchProgress';

const IMAGE = 'reg:5000/py:1';
const progress = (layersDone: number, bytes: number): LaunchProgress =>
  ({ type: 'pull-progress', image: IMAGE, layers: 2, layersDone, bytes, totalBytes: 2048, fraction: bytes / 2048 });
const PULL: LaunchProgress[] = [
  { type: 'pull-start', image: IMAGE, registry: 'reg:5000', credentials: 'no credentials' },
  progress(0, 0), progress(0, 512), progress(1, 1024), progress(1, 1536), progress(2, 2048),
  { type: 'pull-done', image: IMAGE, ms: 1234, upToDate: false },
  { type: 'image-ready', image: IMAGE, id: 'sha256:1', repoDigest: 'reg:5000/py@sha256:2' },
];

function run(events: LaunchProgress[], out: Omit<ProgressOutput, 'write'>): string {
  let text = '';
  const report = cliProgress({ ...out, write: (chunk) => { text += chunk; } });
  for (const event of events) report(event);
  return text;
}

describe('cliProgress', () => {
  it('prints plain lines off a terminal: the start, each layer finished, the end', () => {
    assert.equal(run(PULL, { tty: false }), [
      `pydock: pulling ${IMAGE} from reg:5000`,
      `pydock: pulling ${IMAGE}: 0% (0 of 2 layers, 0 B of 2 KiB)`,
      `pydock: pulling ${IMAGE}: 50% (1 of 2 layers, 1 KiB of 2 KiB)`,
      `pydock: pulling ${IMAGE}: 100% (2 of 2 layers, 2 KiB of 2 KiB)`,
      `pydock: pulled image ${IMAGE} in 1.2 s`,
      '',
    ].join('\n'));
  });

  it('redraws one line on a terminal, cut to its width (an unknown width counts as 100), and ends it with the result', () => {
    const text = run(PULL, { tty: true, columns: 0 });
    const draws = text.split('\r\x1b[2K').slice(1);
    assert.ok(draws.length >= 3, JSON.stringify(text));
    assert.ok(draws.slice(0, -1).every((d) => d.startsWith('pydock: pulling') && !d.includes('\n')), JSON.stringify(draws));
    assert.equal(draws.at(-1), `pydock: pulled image ${IMAGE} in 1.2 s\n`);
    const narrow = run(PULL.slice(0, 2), { tty: true, columns: 30 });
    assert.equal(narrow.split('\r\x1b[2K').at(-1), 'pydock: pulling reg:5000/py:1');
  });

  it('with --verbose logs every event (a line per finished layer), and always says warnings', () => {
    const logged: string[] = [];
    const log = { trace: () => {}, info: (m: string) => logged.push(m), warn: () => {}, error: () => {} };
    const text = run([...PULL, { type: 'warning', message: 'mounts name folders on the Docker host' }], { tty: true, verbose: log });
    assert.equal(text, 'pydock: warning: mounts name folders on the Docker host\n');
    assert.deepEqual(logged, [
      `pulling image ${IMAGE} from reg:5000 with no credentials`,
      `pulling ${IMAGE}: 0 of 2 layers, 0 B of 2 KiB`,
      `pulling ${IMAGE}: 1 of 2 layers, 1 KiB of 2 KiB`,
      `pulling ${IMAGE}: 2 of 2 layers, 2 KiB of 2 KiB`,
      `pulled image ${IMAGE} in 1.2 s`,
      `image ${IMAGE} is reg:5000/py@sha256:2, id sha256:1`,
    ]);
  });
});
