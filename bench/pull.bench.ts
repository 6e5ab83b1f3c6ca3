// Issue 16 figures: a first run whose image is missing, pulled from a registry (Debian's docker-registry on 127.0.0.1),
// to its result, against `docker pull` of the same image alone, in the same run.
import { execFileSync } from 'node:child_process';
import type { Backend } from '../extension/engine/launch/backend';
import { connectBackend } from '../extension/engine/launch/backends';
import type { LaunchProgress } from '../extension/engine/launch/launchProgress';
import { silentLogger } from '../extension/engine/log';
import { Session } from '../extension/engine/session/session';
import { pushUniqueImage, removeFromMainDaemon, startRegistry } from '../test/integration/registries';
import { percentile, round } from './stats';

const ROUNDS = 3;

/** The first run of a session on a host without the image: pull (missing), create, start, `1+1`. */
async function firstRunMs(backend: Backend, image: string): Promise<number> {
  const pulls: LaunchProgress[] = [];
  const session = new Session({
    name: 'bench-pull', log: silentLogger, backend: async () => backend,
    launch: { image, workspaceReadOnly: false, env: {}, workspaceLabel: 'bench-pull', sessionLabel: 'bench-pull', onProgress: (e) => pulls.push(e) },
  });
  try {
    const start = performance.now();
    const outcome = await session.eval('1+1');
    const ms = performance.now() - start;
    if (!outcome.ok || outcome.value !== 2) throw new Error('the first run did not answer 2');
    if (!pulls.some((e) => e.type === 'pull-done' && !e.upToDate)) throw new Error('the first run did not pull the image');
    return ms;
  } finally {
    await session.stop();
  }
}

function dockerPullMs(image: string): number {
  const start = performance.now();
  execFileSync('docker', ['pull', '-q', image], { stdio: 'ignore' });
  return performance.now() - start;
}

export async function benchPullFigures(): Promise<Record<string, number>> {
  const registry = await startRegistry();
  try {
    // A whole Python in layers of its own, so both pulls fetch and extract all of it, as on a new user's host.
    const image = pushUniqueImage(registry, 4096, 'all-new');
    const backend = await connectBackend({ choice: 'docker', log: silentLogger });
    const pydock: number[] = [];
    const docker: number[] = [];
    for (let i = 0; i < ROUNDS; i++) { // alternating, so a busy moment of the machine hits both alike
      const order = i % 2 === 0 ? ['docker', 'pydock'] : ['pydock', 'docker'];
      for (const who of order) {
        removeFromMainDaemon(image);
        if (who === 'docker') docker.push(dockerPullMs(image));
        else pydock.push(await firstRunMs(backend, image));
      }
    }
    const pydockMs = percentile(pydock, 50);
    const dockerMs = percentile(docker, 50);
    return {
      first_run_pull_ms: round(pydockMs, 0),
      docker_pull_ms: round(dockerMs, 0),
      first_run_pull_ratio: round(pydockMs / dockerMs, 2),
    };
  } finally {
    await registry.stop();
  }
}
