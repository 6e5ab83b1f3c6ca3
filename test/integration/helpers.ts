// Shared set-up for integration tests: real backends, the locally built images, sessions that clean up after themselves.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import type { Backend, LaunchSpec } from '../../extension/engine/launch/backend';
import { connectBackend } from '../../extension/engine/launch/backends';
import type { Logger } from '../../extension/engine/log';
import { Session, type SessionOptions } from '../../extension/engine/session/session';
import { kubeCluster } from './kube/kubeCluster';

/** The repository: package.json, and dist/ as npm run build leaves it. */
export const REPO = path.resolve(__dirname, '..', '..');
/** The entry points package.json publishes: the `pydock` bin and the `pydock/api` library. */
export const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  bin: { pydock: string };
  exports: { './api': { types: string; default: string } };
};

/** Test sessions' agents hold every event they send to the protocol's tables, and end loudly on one that is not. */
export const CHECKED_ENV = { PYDOCK_CHECK_EVENTS: '1' };

export const FULL_IMAGE = 'pydock-local/python:full';
export const BARE_IMAGE = 'pydock-local/python:bare';

export interface Target {
  name: string;
  backend: 'docker' | 'local' | 'kubernetes';
  image: string;
}

/** Where the shared suites run: Docker with and without numpy/pandas/msgpack, and a local python3. */
export const TARGETS: Target[] = [
  { name: 'docker (python3 + numpy + pandas + msgpack)', backend: 'docker', image: FULL_IMAGE },
  { name: 'docker (bare python3)', backend: 'docker', image: BARE_IMAGE },
  { name: 'local python3', backend: 'local', image: '' },
  { name: 'kubernetes (pods through the stand-in API server, or PYDOCK_K8S_CLUSTER)', backend: 'kubernetes', image: FULL_IMAGE },
];

/** The target's backend; for kubernetes, on the stand-in API server (started on first use) or the real cluster. */
export async function connectTarget(target: Pick<Target, 'backend'>): Promise<Backend> {
  if (target.backend === 'kubernetes') await kubeCluster();
  return connectBackend({ choice: target.backend, log: testLog });
}

/** Collects log lines so a failing test can show what the engine said. */
export const testLog: Logger & { lines: string[] } = {
  lines: [],
  trace(m) { this.lines.push(`trace ${m}`); },
  info(m) { this.lines.push(`info ${m}`); },
  warn(m) { this.lines.push(`warn ${m}`); },
  error(m) { this.lines.push(`error ${m}`); },
};

export function tempWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-ws-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A session on the target; it is stopped (its container removed) when the test file ends. */
export function newSession(target: Target, launch: Partial<Omit<LaunchSpec, 'agent'>> = {}, backend?: () => Promise<Backend>,
  options: Partial<SessionOptions> = {}): Session {
  const workspace = launch.workspace ?? tempWorkspace();
  const session = new Session({
    ...options,
    name: `test ${target.name}`,
    log: testLog,
    backend: backend ?? (() => connectTarget(target)),
    launch: {
      image: target.image, workspace, workspaceReadOnly: false, env: CHECKED_ENV, memoryBytes: 1 << 30,
      workspaceLabel: `file://${workspace}`, sessionLabel: 'test', ...launch,
    },
  });
  after(() => session.dispose());
  return session;
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Fails loudly when the images the README's set-up builds are missing, instead of skipping. */
export function requireImages(): void {
  for (const image of [FULL_IMAGE, BARE_IMAGE]) {
    try {
      docker('image', 'inspect', image);
    } catch {
      throw new Error(`image ${image} is missing: run "bash scripts/setup.sh" (the README's test command does)`);
    }
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on, for a daemon a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}
