// Issue 7 figures: reattach after a window reload, a start from the warm pool, and the round trip on a reattached agent.
import type { Backend } from '../extension/engine/launch/backend';
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import { Session, type SessionOptions } from '../extension/engine/session/session';
import { WarmPool } from '../extension/engine/session/warmPool';
import { BENCH_IMAGE, roundTrip } from './session.bench';
import { percentile, round } from './stats';

const RUNS = 7;

function lifecycleSession(backend: Backend, options: Partial<SessionOptions> = {}): Session {
  return new Session({
    name: 'bench', log: silentLogger, backend: async () => backend,
    launch: { image: BENCH_IMAGE, workspaceReadOnly: false, env: {}, memoryBytes: 8 << 30, workspaceLabel: 'bench-lifecycle', sessionLabel: 'bench' },
    ...options,
  });
}

async function firstResult(session: Session): Promise<void> {
  const outcome = await session.eval('1+1');
  if (!outcome.ok || outcome.value !== 2) throw new Error('lifecycle bench: wrong result');
}

/** detach() as a window reload does, then a new Session reattaches and evaluates `1+1`; the last one is returned. */
async function reattach(backend: Backend): Promise<{ samples: number[]; session: Session }> {
  let session = lifecycleSession(backend, { reattach: true });
  await firstResult(session);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await session.detach();
    session = lifecycleSession(backend, { reattach: true, resumeFrom: session.resumePoint });
    await firstResult(session);
    samples.push(performance.now() - start);
  }
  return { samples, session };
}

/** With a warm agent ready: a new Session's start to its first result. The pool refills between runs. */
async function prewarmedStart(backend: Backend): Promise<number[]> {
  const pool = new WarmPool();
  const samples: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const session = lifecycleSession(backend, { warmPool: pool });
      if (!(await session.prewarm())) throw new Error('lifecycle bench: the warm agent did not start');
      const start = performance.now();
      await firstResult(session);
      samples.push(performance.now() - start);
      await session.stop();
    }
  } finally {
    await pool.dispose();
  }
  return samples;
}

export async function benchLifecycleFigures(): Promise<Record<string, number>> {
  const docker = await connectBackend({ choice: 'docker', log: silentLogger });
  const reattached = await reattach(docker);
  const trip = await roundTrip(reattached.session);
  await reattached.session.stop();
  const warm = await prewarmedStart(docker);
  return {
    reattach_ms: round(percentile(reattached.samples, 50), 1),
    prewarm_start_ms: round(percentile(warm, 50), 1),
    reattached_eval_roundtrip_p50_ms: round(trip.p50),
  };
}
