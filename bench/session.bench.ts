// Issue 3 figures: protocol round trip (docker, local), cold start, stream throughput, against ipykernel in the same image.
import Docker from 'dockerode';
import * as path from 'node:path';
import type { Backend } from '../extension/engine/launch/backend';
import { connectBackend } from '../extension/engine/launch/backends';
import { DockerDemuxer } from '../extension/engine/wire/framing';
import { silentLogger } from '../extension/engine/log';
import { Session } from '../extension/engine/session/session';
import { percentile, round, timeEach } from './stats';

export const BENCH_IMAGE = 'pydock-local/python:full';
const ROUND_TRIPS = 2000;

export function benchSession(backend: Backend, image = BENCH_IMAGE, memoryBytes = 8 << 30): Session {
  return new Session({
    name: 'bench', log: silentLogger, backend: async () => backend,
    launch: { image, workspace: undefined, workspaceReadOnly: false, env: {}, memoryBytes, workspaceLabel: 'bench', sessionLabel: 'bench' },
  });
}

export async function roundTrip(session: Session): Promise<{ p50: number; p99: number }> {
  await timeEach(300, () => session.eval('1+1'));
  const samples = await timeEach(ROUND_TRIPS, () => session.eval('1+1'));
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function coldStart(backend: Backend): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const session = benchSession(backend);
    const start = performance.now();
    await session.eval('1+1');
    samples.push(performance.now() - start);
    await session.stop();
  }
  return percentile(samples, 50);
}

async function streamMbPerS(session: Session): Promise<number> {
  const size = 100_000_000;
  await session.eval('b"x" * 1000');
  const samples = await timeEach(3, async () => {
    const outcome = await session.eval(`b"x" * ${size}`);
    if (!outcome.ok || !(outcome.value instanceof Uint8Array) || outcome.value.length !== size) throw new Error('stream: wrong result');
  });
  return size / 1e6 / (percentile(samples, 50) / 1000);
}

/** ipykernel driven by jupyter_client in the same image: container create to kernel ready, then execute round trips. */
async function ipykernel(docker: Docker): Promise<{ readyMs: number; p50: number; p99: number }> {
  const start = performance.now();
  const container = await docker.createContainer({
    Image: BENCH_IMAGE, Cmd: ['python3', '/bench/ipykernel_driver.py', String(ROUND_TRIPS)], Tty: false,
    AttachStdout: true, AttachStderr: true, HostConfig: { Binds: [`${path.resolve(__dirname)}:/bench:ro`], Init: true },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    let text = '';
    let readyMs = 0;
    const demuxer = new DockerDemuxer();
    const done = new Promise<number[]>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        for (const [, data] of demuxer.push(chunk)) text += data.toString('latin1');
        // Only whole lines: the 2,000 samples make a line longer than one chunk.
        for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l.startsWith('{'))) {
          const event = JSON.parse(line);
          if (event.event === 'ready' && !readyMs) readyMs = performance.now() - start;
          if (event.event === 'done') resolve(event.samples);
        }
      });
      stream.on('end', () => reject(new Error(`ipykernel driver ended early:\n${text}`)));
    });
    await container.start();
    const samples = await done;
    return { readyMs, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    await container.remove({ force: true });
  }
}

export async function benchSessionFigures(): Promise<Record<string, number>> {
  const docker = await connectBackend({ choice: 'docker', log: silentLogger });
  const local = await connectBackend({ choice: 'local', log: silentLogger });
  const session = benchSession(docker);
  const dockerTrip = await roundTrip(session);
  const stream = await streamMbPerS(session);
  await session.stop();
  const localSession = benchSession(local);
  const localTrip = await roundTrip(localSession);
  await localSession.stop();
  const cold = await coldStart(docker);
  const kernel = await ipykernel((docker as unknown as { docker: Docker }).docker);
  return {
    eval_roundtrip_p50_ms: round(dockerTrip.p50),
    eval_roundtrip_p99_ms: round(dockerTrip.p99),
    local_eval_roundtrip_p50_ms: round(localTrip.p50),
    local_eval_roundtrip_p99_ms: round(localTrip.p99),
    cold_start_ms: round(cold, 1),
    ipykernel_roundtrip_p50_ms: round(kernel.p50),
    ipykernel_roundtrip_p99_ms: round(kernel.p99),
    ipykernel_ready_ms: round(kernel.readyMs, 1),
    roundtrip_speedup_vs_ipykernel: round(kernel.p50 / dockerTrip.p50, 2),
    cold_start_fraction_of_ipykernel_ready: round(cold / kernel.readyMs, 3),
    stream_mb_per_s: round(stream, 1),
  };
}
