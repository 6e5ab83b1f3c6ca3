// Issue 10 figures: 100,000 mixed requests on one session (memory on both sides, round trips at the start and the end),
// and 20 sessions started at once, each answering 100 runs in order.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { Backend } from '../extension/engine/launch/backend';
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import type { RunOutcome, Session } from '../extension/engine/session/session';
import { runInOrder } from '../test/integration/orderedRuns';
import { benchSession } from './session.bench';
import { percentile, round } from './stats';

const SOAK_REQUESTS = Number(process.env.PYDOCK_BENCH_SOAK_REQUESTS ?? 100_000);
/** Requests per cycle (see cycle()). */
const CYCLE = 10;
const CYCLES = Math.ceil(SOAK_REQUESTS / CYCLE);
/** Memory growth counts from the end of the first tenth, once caches, JIT code and lazy imports have settled. */
const WARM_CYCLES = Math.ceil(CYCLES / 10);
const SESSIONS = 20;
const RUNS_PER_SESSION = 100;

const SETUP = `
import pandas as pd, numpy as np
soak_frame = pd.DataFrame({"n": np.arange(10_000), "x": np.random.default_rng(0).random(10_000), "s": [f"row {i}" for i in range(10_000)]})
`;

/** A full collection of the host's heap, so that RSS compares live memory, not garbage waiting for the collector. */
function collectHostGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function megabytes(bytes: number): number {
  return bytes / 2 ** 20;
}

/** The agent's resident memory, read by the agent itself from /proc/self/status after a collection, in MiB. */
async function agentRssMb(session: Session): Promise<number> {
  const outcome = await session.exec('import gc as _gc\n_gc.collect()\nint([l for l in open("/proc/self/status") if l.startswith("VmRSS:")][0].split()[1])');
  return expectValue(outcome, 'the agent\'s VmRSS') / 1024;
}

function expectValue(outcome: RunOutcome, what: string): number {
  if (!outcome.ok) throw new Error(`soak: ${what} failed: ${outcome.error.text}`);
  return outcome.value as number;
}

/**
 * One cycle of ten requests, as a working session sees them: small evals, a print, a define, a table page and the
 * variables view. Every answer is checked, so a lost or mixed-up reply fails the bench. Returns the eval round trips.
 */
async function cycle(session: Session, handle: number, i: number): Promise<number[]> {
  const trips: number[] = [];
  for (let k = 0; k < 6; k++) {
    const start = performance.now();
    const value = expectValue(await session.eval(`${i} + ${k}`), 'a small eval');
    trips.push(performance.now() - start);
    if (value !== i + k) throw new Error(`soak: ${i} + ${k} gave ${value}`);
  }
  let printed = '';
  await session.exec(`print("line", ${i})`, { onStream: (_name, text) => (printed += text) });
  if (printed !== `line ${i}\n`) throw new Error(`soak: print ${i} gave ${JSON.stringify(printed)}`);
  await session.define('soak_value', { i, text: `value ${i}`, values: [i, i + 1, i + 2] });
  const rows = await session.inspect({ type: 'table.rows', handle, start: i % 9_900, end: (i % 9_900) + 100 });
  if (rows.cells.length !== 100) throw new Error(`soak: a table page had ${rows.cells.length} rows`);
  const variables = await session.inspect({ type: 'vars' });
  if (!variables.variables.some((v) => v.name === 'soak_value')) throw new Error('soak: the variables view lost soak_value');
  return trips;
}

async function soak(backend: Backend): Promise<Record<string, number>> {
  const session = benchSession(backend);
  try {
    expectValue(await session.exec(`${SETUP}\n0`), 'the soak set-up');
    const { handle } = await session.inspect({ type: 'table.open', expr: 'soak_frame' });
    // The first and the last tenth give the round trips at the start and at the end.
    const first: number[] = [];
    const last: number[] = [];
    let hostStart = 0;
    let agentStart = 0;
    let answered = 0;
    for (let i = 0; i < CYCLES; i++) {
      if (i === WARM_CYCLES) {
        collectHostGarbage();
        hostStart = process.memoryUsage().rss;
        agentStart = await agentRssMb(session);
      }
      const trips = await cycle(session, handle, i);
      answered += CYCLE;
      if (i < WARM_CYCLES) first.push(...trips);
      if (i >= CYCLES - WARM_CYCLES) last.push(...trips);
    }
    collectHostGarbage();
    const hostGrowth = megabytes(process.memoryUsage().rss - hostStart);
    const agentGrowth = (await agentRssMb(session)) - agentStart;
    return {
      soak_evals: answered,
      soak_host_rss_growth_mb: round(hostGrowth, 1),
      soak_agent_rss_growth_mb: round(agentGrowth, 1),
      soak_start_roundtrip_p50_ms: round(percentile(first, 50)),
      soak_start_roundtrip_p99_ms: round(percentile(first, 99)),
      soak_end_roundtrip_p50_ms: round(percentile(last, 50)),
      soak_end_roundtrip_p99_ms: round(percentile(last, 99)),
    };
  } finally {
    await session.stop();
  }
}

async function concurrentSessions(backend: Backend): Promise<Record<string, number>> {
  const sessions = Array.from({ length: SESSIONS }, () => benchSession(backend, undefined, 1 << 30));
  const start = performance.now();
  try {
    const results = await Promise.allSettled(sessions.map((session) => runInOrder(session, RUNS_PER_SESSION)));
    const wallMs = performance.now() - start;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const failure of failed) process.stderr.write(`bench: concurrent session failed: ${failure.reason}\n`);
    return { concurrent_sessions: SESSIONS - failed.length, concurrent_sessions_wall_ms: round(wallMs, 0) };
  } finally {
    await Promise.all(sessions.map((session) => session.stop()));
  }
}

export async function benchSoakFigures(): Promise<Record<string, number>> {
  const docker = await connectBackend({ choice: 'docker', log: silentLogger });
  return { ...(await soak(docker)), ...(await concurrentSessions(docker)) };
}
