// `pydock job run|list|logs|wait|cancel|rm`: jobs of a workspace from the command line, on the engine's Jobs.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseByteSize } from '../../shared/byteSize';
import { PydockError, errorMessage } from '../engine/errors';
import { connectBackend, type BackendChoice } from '../engine/launch/backends';
import { jobBackend } from '../engine/jobs/jobPlaces';
import { folderEnvironment } from '../engine/launch/environmentFile';
import { Jobs } from '../engine/jobs/jobs';
import { isFinal, isFunctionTarget, type JobRecord, type JobSpec, type JobTarget } from '../engine/jobs/jobTypes';
import type { Logger } from '../engine/log';
import { cliProgress } from './progress';

export const JOB_USAGE = `usage:
  pydock job run [--workspace DIR] [--backend docker|kubernetes] [--name N] [--cpus N] [--memory M] [--env K=V]...
                 [--detach] FILE [-- ARGS...]
                                 run a Python file of the workspace (or module:function, with one JSON value of
                                 arguments after --) in a fresh container of the workspace's environment; without
                                 --detach stream its log and exit 0 (it succeeded) or 1 (it failed); with --detach
                                 print its id as the last line once it started. --max-parallel N: jobs at once
                                 in the workspace (default: the cores); a full queue holds run until a slot frees
  pydock job list [--workspace DIR] [--json]      the workspace's jobs, newest first
  pydock job logs [--workspace DIR] [-f] ID       a job's log (-f: follow it until the job ends)
  pydock job wait [--workspace DIR] ID            wait for a job's end; exit 0 when it succeeded, else 1
  pydock job cancel [--workspace DIR] ID          stop a job (its log and outputs so far are collected)
  pydock job rm [--workspace DIR] ID              delete a job's record, log and outputs (stopping it if it runs)

A job's log, outputs and record go to DIR/.pydock/runs/ID/ (log.txt, outputs/, run.json). --backend (any command):
where jobs run, a container on the Docker host or a Kubernetes Job (KUBECONFIG); default the environment file's, else docker.
exit codes: 0 ok, 1 the job failed (or was cancelled, or lost), 2 usage or environment error`;

const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export async function jobMain(argv: string[], log: (verbose: boolean) => Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, options: {
        workspace: { type: 'string', default: '.' }, name: { type: 'string' }, cpus: { type: 'string' }, memory: { type: 'string' },
        env: { type: 'string', multiple: true }, detach: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
        follow: { type: 'boolean', short: 'f', default: false }, pull: { type: 'string', default: 'missing' },
        'max-parallel': { type: 'string' }, backend: { type: 'string' }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values: opts, positionals: [command, ...rest] } = parsed;
  if (opts.help) {
    process.stdout.write(`${JOB_USAGE}\n`);
    return EXIT.ok;
  }
  const workspace = path.resolve(opts.workspace);
  const maxParallel = opts['max-parallel'] === undefined ? undefined : Number(opts['max-parallel']);
  if (maxParallel !== undefined && !(Number.isInteger(maxParallel) && maxParallel > 0)) return usage('--max-parallel must be a positive whole number');
  if (!['missing', 'always', 'never'].includes(opts.pull)) return usage(`--pull must be missing, always or never, not "${opts.pull}"`);
  if (opts.backend !== undefined && !['docker', 'kubernetes'].includes(opts.backend)) return usage(`--backend must be docker or kubernetes, not "${opts.backend}"`);
  const logger = log(opts.verbose);
  const jobs = new Jobs({
    workspace, maxParallel, log: logger, pull: opts.pull as 'missing',
    backend: () => connectBackend({ choice: jobBackend(opts.backend as BackendChoice | undefined, folderEnvironment(workspace).backend), log: logger }),
    environment: () => folderEnvironment(workspace).launch,
    onLaunchProgress: cliProgress({ write: (text) => process.stderr.write(text), tty: !!process.stderr.isTTY, columns: process.stderr.columns }),
  });
  try {
    switch (command) {
      case 'run': return await run(jobs, spec(workspace, rest, opts), opts.detach);
      case 'list': return await list(jobs, opts.json);
      case 'logs': return await logs(jobs, one(rest), opts.follow);
      case 'wait': return ended(await jobs.wait(one(rest)));
      case 'cancel': return ended(await jobs.cancel(one(rest)), 'cancelled');
      case 'rm': await jobs.remove(one(rest)); return EXIT.ok;
      default: return usage(command ? `unknown job command "${command}"` : 'no job command given');
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    process.stderr.write(`pydock: ${errorMessage(error)}\n`);
    return EXIT.usage;
  } finally {
    jobs.dispose(); // the jobs run on; nothing of this process waits for them
  }
}

class UsageError extends Error {}

function one(rest: string[]): string {
  if (rest.length !== 1) throw new UsageError('give one job id');
  return rest[0];
}

/** FILE (relative to the current folder, inside the workspace) with its arguments, or module:function with one JSON value. */
function spec(workspace: string, [target, ...args]: string[], opts: { name?: string; cpus?: string; memory?: string; env?: string[] }): JobSpec {
  if (!target) throw new UsageError('job run needs a FILE (or module:function)');
  let jobTarget: JobTarget;
  if (isFunctionTarget(target)) {
    if (args.length > 1) throw new UsageError('a function takes one JSON value of arguments: a list, or an object of keyword arguments');
    let parsed: unknown = [];
    try {
      if (args.length) parsed = JSON.parse(args[0]);
    } catch (error) {
      throw new UsageError(`the arguments of ${target} are not JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new UsageError('a function\'s arguments are a JSON list or object');
    jobTarget = { kind: 'function', function: target, args: parsed as unknown[] };
  } else {
    const relative = path.relative(workspace, path.resolve(target));
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new UsageError(`${target} is not inside the workspace ${workspace} (see --workspace)`);
    jobTarget = { kind: 'file', file: relative.split(path.sep).join('/'), args };
  }
  const cpus = opts.cpus === undefined ? undefined : Number(opts.cpus);
  if (cpus !== undefined && !(cpus > 0)) throw new UsageError('--cpus must be a positive number');
  let memoryBytes: number | undefined;
  try {
    memoryBytes = opts.memory === undefined ? undefined : parseByteSize(opts.memory);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const env = Object.fromEntries((opts.env ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
  return {
    target: jobTarget, env, ...(opts.name ? { name: opts.name } : {}),
    resources: { ...(cpus !== undefined ? { cpus } : {}), ...(memoryBytes !== undefined ? { memoryBytes } : {}) },
  };
}

async function run(jobs: Jobs, job: JobSpec, detach: boolean): Promise<number> {
  const queued = jobs.submit(job);
  const started = await jobs.started(queued.id);
  if (started.status === 'failed' && started.exitCode === null) {
    process.stderr.write(`pydock: job ${queued.id} did not start: ${started.error}\n`);
    return EXIT.usage;
  }
  if (detach) {
    process.stdout.write(`${queued.id}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`pydock: job ${queued.id} runs; its log, outputs and record go to ${jobs.folder.relative(queued.id)}/\n`);
  const cancel = () => void jobs.cancel(queued.id);
  process.once('SIGINT', cancel);
  try {
    const status = await logs(jobs, queued.id, true);
    return status === EXIT.ok ? ended(await jobs.wait(queued.id)) : status;
  } finally {
    process.off('SIGINT', cancel);
  }
}

async function logs(jobs: Jobs, id: string, follow: boolean): Promise<number> {
  for await (const entry of jobs.logs(id, { follow })) {
    if (entry.progress) process.stderr.write(`pydock: ${Math.round(entry.progress.fraction * 100)}% ${entry.progress.message}\n`);
    else (entry.stream === 'stdout' ? process.stdout : process.stderr).write(`${entry.text}\n`);
  }
  return EXIT.ok;
}

function ended(record: JobRecord, expected: JobRecord['status'] = 'succeeded'): number {
  if (!isFinal(record.status)) throw new PydockError('usage', `job ${record.id} is ${record.status}`);
  const took = record.durationMs === null ? '' : ` in ${(record.durationMs / 1000).toFixed(1)} s`;
  process.stderr.write(`pydock: job ${record.id} ${record.status}${took}${record.error && record.status !== 'cancelled' ? `: ${record.error}` : ''}\n`);
  return record.status === expected ? EXIT.ok : EXIT.failed;
}

async function list(jobs: Jobs, json: boolean): Promise<number> {
  await jobs.scan();
  const records = await jobs.list();
  if (json) {
    process.stdout.write(`${JSON.stringify(records)}\n`);
    return EXIT.ok;
  }
  const rows = records.map((r) => [r.id, r.status, r.name, r.durationMs === null ? '' : `${(r.durationMs / 1000).toFixed(1)} s`, r.error ?? '']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length), ['ID', 'STATUS', 'NAME', 'TIME'][i].length));
  for (const row of [['ID', 'STATUS', 'NAME', 'TIME', ''], ...rows]) {
    process.stdout.write(`${row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : cell)).join('  ').trimEnd()}\n`);
  }
  return EXIT.ok;
}

function usage(problem: string): number {
  process.stderr.write(`pydock: ${problem}\n${JOB_USAGE}\n`);
  return EXIT.usage;
}
