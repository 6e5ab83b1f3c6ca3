// The pydock command line: `pydock eval CODE`, `pydock run FILE` and `pydock table CODE` on the same engine the extension uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PULL_POLICIES, type PullPolicy } from '../engine/launch/backend';
import { connectBackend, type BackendChoice } from '../engine/launch/backends';
import { parseByteSize } from '../../shared/byteSize';
import { PydockError, errorMessage } from '../engine/errors';
import type { Logger } from '../engine/log';
import { Session, type RunOutcome } from '../engine/session/session';
import { toJson } from '../engine/wire/json';
import { cliProgress } from './progress';
import { cellText } from '../../shared/cellText';
import type { TablePreview } from '../../shared/agentProtocol';
import { serveLsp } from './lspServe';
import { parseTableQuery, showTable, type TableQuery } from './table';
import { JOB_USAGE, jobMain } from './jobCommand';
import { folderEnvironment } from '../engine/launch/environmentFile';
import { withOverrides } from '../engine/launch/environmentOverrides';
import type { EnvironmentLaunch } from '../engine/launch/environment';
import { serveDap } from './dap';

const USAGE = `usage:
  pydock eval [options] CODE     run CODE (statements and a final expression) and print the result
  pydock run  [options] FILE     run a Python file
  pydock job ...                 run a file or a function as a job, detached (see "pydock job --help" below)
  pydock lsp [options]           serve the live-namespace language server on stdio (Content-Length framing) in one
                                 session; workspace/executeCommand "pydock.run" with [code] runs code in it
  pydock dap [options]           serve pydock's debug adapter on stdin/stdout (DAP, for nvim-dap and other clients):
                                 launch with "program" (a file on this machine) or "code"
  pydock table [options] [--rows START:END] [--sort COL[:desc]]... [--filter EXPR]... CODE
                                 run CODE and show its value (a DataFrame, Series, array, list of dicts, dict of
                                 lists or Grid) as a table: filtered and sorted in Python, rows START to END
                                 (END excluded; default 0:20) printed as the table viewer shows them (numbers
                                 as they read, at pandas' display precision)

options:
  --backend docker|local|kubernetes|auto
                                 where Python runs (default auto: docker when its daemon answers); kubernetes: a pod
                                 in the cluster of KUBECONFIG (or ~/.kube/config), its context's namespace
  --image IMAGE                  container image (default: the workspace's .pydock/environment.json, else $PYDOCK_IMAGE,
                                 else python:3.12-slim); NAME@sha256:… pins one
  --pull missing|always|never    pull the image when the Docker host lacks it (default), before every run, or never;
                                 with the docker CLI's registry credentials; progress goes to stderr
  --workspace DIR                folder mounted at /workspace and used as the working directory (default .); its
                                 .pydock/environment.json (image, requirements, env, mounts, network, limits) applies
  --memory SIZE                  memory limit, e.g. 2g (default: the environment file's, else 4g)
  --timeout MS                   interrupt the code after MS milliseconds
  --json                         print one JSON object: {ok, type, value, repr, stdout, stderr, error, timings};
                                 for table: {columns, dtypes, index, total_rows, filtered_rows, rows}
  --sort COL[:desc]              table: sort by a column, descending with :desc; repeat for more keys
  --filter "COL OP VALUE"        table: keep rows where the column matches; OP is one of == != < <= > >= contains
                                 regex (case-sensitive) isnull notnull (these two take no VALUE); repeat to add
  --precision N                  table: digits after the point of numbers as they read (default 6, as pandas)
  --raw                          table: numbers exactly, as Python's repr writes them (0.30000000000000004)
  --verbose                      log what the engine does to stderr

exit codes: 0 ok, 1 Python raised an error, 2 usage or environment error, 130 cancelled (Ctrl+C during a pull)`;

export const EXIT = { ok: 0, pythonError: 1, usage: 2, cancelled: 130 } as const;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'job') return jobMain(argv.slice(1), stderrLogger);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backend: { type: 'string', default: 'auto' },
        image: { type: 'string' },
        pull: { type: 'string', default: 'missing' },
        workspace: { type: 'string', default: '.' },
        memory: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        rows: { type: 'string' },
        sort: { type: 'string', multiple: true },
        filter: { type: 'string', multiple: true },
        precision: { type: 'string' },
        raw: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values: opts, positionals } = parsed;
  if (opts.help) {
    process.stdout.write(`${USAGE}\n\n${JOB_USAGE}\n`);
    return EXIT.ok;
  }
  const [command, target, ...rest] = positionals;
  if (!command || !['eval', 'run', 'table', 'lsp', 'dap'].includes(command)) return usage(command ? `unknown command "${command}"` : 'no command given');
  if (command === 'lsp' || command === 'dap') {
    if (target !== undefined) return usage(command === 'dap' ? 'dap takes no argument: the client says what to run' : 'lsp takes no argument');
  } else if (target === undefined || rest.length > 0) {
    return usage(`${command} takes exactly one ${command === 'run' ? 'FILE' : 'CODE'} argument`);
  }
  let tableQuery: TableQuery | undefined;
  try {
    if (command === 'table') tableQuery = parseTableQuery(opts);
    else if (opts.rows !== undefined || opts.sort || opts.filter || opts.precision !== undefined || opts.raw) {
      return usage('--rows, --sort, --filter, --precision and --raw are for pydock table');
    }
  } catch (error) {
    return usage((error as Error).message);
  }
  if (!['auto', 'docker', 'local', 'kubernetes'].includes(opts.backend)) return usage(`--backend must be docker, local, kubernetes or auto, not "${opts.backend}"`);
  if (!PULL_POLICIES.includes(opts.pull as PullPolicy)) return usage(`--pull must be missing, always or never, not "${opts.pull}"`);
  const timeoutMs = opts.timeout === undefined ? undefined : Number(opts.timeout);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) return usage(`--timeout must be a positive number of milliseconds`);
  let memoryBytes: number | undefined;
  try {
    memoryBytes = opts.memory === undefined ? undefined : parseByteSize(opts.memory);
  } catch (error) {
    return usage((error as Error).message);
  }

  const workspace = path.resolve(opts.workspace);
  let code = target ?? '';
  let file: string | undefined;
  if (command === 'run') {
    file = path.resolve(code);
    try {
      code = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return fail(new PydockError('usage', `Cannot read ${target}: ${(error as Error).message}.`), opts.json);
    }
  }

  let environment: EnvironmentLaunch;
  try {
    environment = withOverrides(folderEnvironment(workspace).launch, { image: opts.image, memoryBytes });
  } catch (error) {
    return fail(error, opts.json);
  }
  const log = stderrLogger(opts.verbose);
  const cancel = new AbortController();
  const session = new Session({
    name: 'cli',
    log,
    backend: () => connectBackend({ choice: opts.backend as BackendChoice, log }),
    launch: {
      ...environment, workspaceLabel: workspace, sessionLabel: 'cli',
      pull: opts.pull as PullPolicy, signal: cancel.signal,
      onProgress: cliProgress({ write: (text) => process.stderr.write(text), tty: !!process.stderr.isTTY, columns: process.stderr.columns, ...(opts.verbose ? { verbose: log } : {}) }),
    },
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    cancel.abort(); // a pull in progress stops; running code gets KeyboardInterrupt
    if (interrupts === 1) void session.interrupt();
    else void session.stop().then(() => process.exit(EXIT.cancelled));
  };
  process.on('SIGINT', onSigint);
  try {
    if (command === 'lsp') return await serveLsp(session, process.stdin, process.stdout);
    if (command === 'dap') {
      await serveDap(session, workspace, log);
      return EXIT.ok;
    }
    if (tableQuery) return (await showTable(session, code, tableQuery, { json: opts.json, timeoutMs })) === 'ok' ? EXIT.ok : EXIT.pythonError;
    const outcome = await session.exec(code, {
      mode: 'repl',
      file: file ?? '<pydock eval>',
      line: 1,
      timeoutMs,
      onStream: opts.json ? undefined : (name, text) => (name === 'stdout' ? process.stdout : process.stderr).write(text),
    });
    report(outcome, opts.json, command === 'eval');
    return outcome.ok ? EXIT.ok : EXIT.pythonError;
  } catch (error) {
    return fail(error, opts.json);
  } finally {
    process.off('SIGINT', onSigint);
    await session.stop();
  }
}

/** A table preview with its cells as text, as the viewer shows them (NaN by name, a cut text ending in "…"). */
function previewText(table: TablePreview): Omit<TablePreview, 'rows'> & { rows: string[][] } {
  return { ...table, rows: table.rows.map((row) => row.map(cellText)) };
}

function report(outcome: RunOutcome, json: boolean, showResult: boolean): void {
  if (json) {
    const { stdout, stderr, timings } = outcome;
    printJson(outcome.ok, outcome.ok
      ? { type: outcome.pyType, value: toJson(outcome.value), repr: outcome.repr, ...(outcome.table ? { table: previewText(outcome.table) } : {}), stdout, stderr, timings }
      : { stdout, stderr, error: outcome.error, timings });
  } else if (!outcome.ok) {
    process.stderr.write(outcome.error.text);
  } else if (showResult && outcome.repr) {
    process.stdout.write(`${outcome.repr}\n`);
  }
}

function fail(error: unknown, json: boolean): number {
  const message = errorMessage(error);
  if (json) {
    const code = error instanceof PydockError ? error.code : 'internal';
    printJson(false, { error: { type: 'PydockError', code, message } });
  } else {
    process.stderr.write(`pydock: ${message}\n`);
  }
  return error instanceof PydockError && error.code === 'cancelled' ? EXIT.cancelled : EXIT.usage;
}

/** The one object --json prints; what the run did not produce is null (or '' for output), so every key is always there. */
function printJson(ok: boolean, fields: Record<string, unknown>): void {
  const object = { ok, type: null, value: null, repr: null, stdout: '', stderr: '', error: null, timings: null, ...fields };
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

function usage(problem: string): number {
  process.stderr.write(`pydock: ${problem}\n${USAGE}\n`);
  return EXIT.usage;
}

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string) => process.stderr.write(`pydock ${level}: ${message}\n`);
  return { trace: verbose ? write('trace') : () => {}, info: verbose ? write('info') : () => {}, warn: write('warning'), error: verbose ? write('error') : () => {} };
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
