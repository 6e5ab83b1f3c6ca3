// Runs the agent as a local python3 process, for machines without Docker. Not sandboxed.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { AgentExit, AgentProcess, AgentSinks, Backend, LaunchSpec } from '../launch/backend';
import { PydockError } from '../errors';
import { coalescingWriter } from '../wire/writer';

/** How long after the agent exits its output may still be arriving (a few ms at most, unless a forked child holds it). */
const STDIO_DRAIN_MS = 1000;

export class LocalBackend implements Backend {
  readonly kind = 'local';
  readonly sandboxed = false;
  readonly description: string;

  constructor(private readonly python = 'python3') {
    this.description = `local ${python} (not sandboxed)`;
  }

  launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess> {
    if (spec.mounts?.length) {
      return Promise.reject(new PydockError('usage', 'Mounts need the docker backend: the local backend runs Python on this machine.',
        'Use the host paths directly, or choose the docker backend.'));
    }
    const child = spawn(this.python, [path.join(spec.agent.dir, spec.agent.entry)], {
      cwd: spec.workspace,
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT'
          ? new PydockError('no-python', `"${this.python}" was not found on this machine's PATH.`,
            'Install Python 3.8 or newer, or set pydock.local.python to its path, or use the docker backend.')
          : new PydockError('start-failed', `Could not start ${this.python}: ${error.message}.`));
      });
      child.once('spawn', () => {
        child.stdout.on('data', sinks.stdout);
        child.stderr.on('data', sinks.stderr);
        child.stdin.on('error', () => undefined); // a dead agent is reported through 'close'
        const exited = new Promise<AgentExit>((done) => {
          // 'exit' can come before the last of the agent's output is read (its result): 'close' comes after it.
          child.once('close', (code, signal) => done({ code, ...(signal ? { signal } : {}), oomKilled: false, removed: false }));
          // A process the agent forked may hold its stdout open after it exited: stop waiting for that.
          child.once('exit', () => setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
          }, STDIO_DRAIN_MS).unref());
        });
        resolve({
          id: `pid ${child.pid}`,
          exited,
          write: coalescingWriter(child.stdin),
          async kill() {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGKILL');
              await exited;
            }
          },
        });
      });
    });
  }
}
