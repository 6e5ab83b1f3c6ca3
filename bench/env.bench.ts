// Issue 7 environment figures: starting from an already built derived image against starting from its plain base image.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from '../extension/engine/launch/backend';
import { connectBackend } from '../extension/engine/launch/backends';
import { resolveEnvironment, type EnvironmentDescription } from '../extension/engine/launch/environment';
import type { LaunchProgress } from '../extension/engine/launch/launchProgress';
import { silentLogger } from '../extension/engine/log';
import { Session } from '../extension/engine/session/session';
import { BENCH_IMAGE } from './session.bench';
import { percentile, round } from './stats';

const STARTS = 7;

/** Create to first result of a fresh session, in ms. */
async function startMs(backend: Backend, workspace: string, file: EnvironmentDescription, progress: LaunchProgress[] = []): Promise<number> {
  const env = resolveEnvironment({ settings: {}, file, workspace, host: { uid: 0, gid: 0 } });
  const session = new Session({
    name: 'bench-env', log: silentLogger, backend: async () => backend,
    launch: { ...env.launch, workspaceLabel: 'bench-env', sessionLabel: 'bench-env', onProgress: (e) => progress.push(e) },
  });
  try {
    const start = performance.now();
    const outcome = await session.eval('__import__("benchpkg").VALUE');
    if (!outcome.ok && file.requirements) throw new Error(`the derived image cannot import its package: ${outcome.error.message}`);
    return performance.now() - start;
  } finally {
    await session.stop();
  }
}

export async function benchEnvFigures(): Promise<Record<string, number>> {
  const backend = await connectBackend({ choice: 'docker', log: silentLogger });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-bench-env-'));
  const progress: LaunchProgress[] = [];
  try {
    fs.mkdirSync(path.join(workspace, 'benchpkg'));
    fs.writeFileSync(path.join(workspace, 'benchpkg', 'setup.py'), 'from setuptools import setup\nsetup(name="benchpkg", version="1", py_modules=["benchpkg"])\n');
    fs.writeFileSync(path.join(workspace, 'benchpkg', 'benchpkg.py'), `VALUE = "${randomBytes(4).toString('hex')}"\n`);
    const plain: EnvironmentDescription = { image: BENCH_IMAGE, network: 'none' };
    const derived: EnvironmentDescription = { ...plain, requirements: ['--no-index', './benchpkg'], pipArgs: ['--no-build-isolation'] };
    await startMs(backend, workspace, derived, progress); // builds the image once, untimed
    await startMs(backend, workspace, plain);
    const plainSamples: number[] = [];
    const cachedSamples: number[] = [];
    for (let i = 0; i < STARTS; i++) { // interleaved, so a busy moment of the machine hits both alike
      plainSamples.push(await startMs(backend, workspace, plain));
      cachedSamples.push(await startMs(backend, workspace, derived, progress));
    }
    if (progress.filter((e) => e.type === 'build-done' && e.built).length !== 1) throw new Error('the derived image was built more than once');
    const plainMs = percentile(plainSamples, 50);
    const cachedMs = percentile(cachedSamples, 50);
    return {
      env_cached_start_ms: round(cachedMs, 1),
      env_plain_start_ms: round(plainMs, 1),
      env_cached_start_ratio: round(cachedMs / plainMs, 2),
    };
  } finally {
    const built = progress.flatMap((e) => (e.type === 'build-done' && e.built ? [e.image] : []));
    if (built.length) execFileSync('docker', ['rmi', '-f', ...built], { stdio: 'ignore' });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
