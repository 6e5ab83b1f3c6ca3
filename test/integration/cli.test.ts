// `pydock eval` and `pydock run` as users and scripts run them: the package's bin on real containers, its output, JSON and exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { PythonErrorInfo } from '../../shared/agentProtocol';
import type { Timings } from '../../extension/engine/session/sessionTypes';
import { CLI, buildCli, runCli, type CliResult } from './cliSupport';
import { BARE_IMAGE, FULL_IMAGE, docker, tempWorkspace } from './helpers';

buildCli();

const DOCKER = ['--backend', 'docker', '--image', BARE_IMAGE];

/** The object `--json` prints, with its keys in the README's order. */
interface JsonOutput {
  ok: boolean;
  type: string | null;
  value: unknown;
  repr: string | null;
  stdout: string;
  stderr: string;
  error: PythonErrorInfo | { type: 'PydockError'; code: string; message: string } | null;
  timings: Required<Timings> | null;
}
const JSON_KEYS = ['ok', 'type', 'value', 'repr', 'stdout', 'stderr', 'error', 'timings'];

/** `pydock eval|run ARGS` on Docker, from a fresh workspace folder as the working directory (the default --workspace). */
function pydock(command: 'eval' | 'run', args: string[], cwd = tempWorkspace()): CliResult {
  return runCli([command, ...DOCKER, ...args], { cwd });
}

/** What `--json` printed: exactly one line holding one object with every documented key. */
function parseJson(result: CliResult): JsonOutput {
  const lines = result.stdout.split('\n');
  assert.deepEqual(lines.slice(1), [''], `one line of JSON on stdout, got: ${result.stdout}`);
  const output = JSON.parse(lines[0]) as JsonOutput;
  assert.deepEqual(Object.keys(output), JSON_KEYS);
  return output;
}

describe('pydock eval', () => {
  it('prints what the code prints, then the repr of its final expression; Python\'s stderr goes to stderr', () => {
    const result = pydock('eval', ['import sys\nprint("to stdout")\nprint("to stderr", file=sys.stderr)\n{"answer": 6 * 7}']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'to stdout\n{\'answer\': 42}\n');
    assert.equal(result.stderr, 'to stderr\n');
    const statement = pydock('eval', ['x = 1']);
    assert.deepEqual([statement.status, statement.stdout], [0, ''], 'a statement has no value to print');
  });

  it('--json: the value (tagged when JSON cannot hold it), its repr, the output and the timings of the run', () => {
    const result = pydock('eval', ['--json', 'import time\nprint("hi")\ntime.sleep(0.2)\n2 ** 70']);
    assert.equal(result.status, 0, result.stderr);
    const { timings, ...rest } = parseJson(result);
    assert.deepEqual(rest, {
      ok: true, type: 'int', value: { $int: '1180591620717411303424' }, repr: '1180591620717411303424',
      stdout: 'hi\n', stderr: '', error: null,
    });
    assert.ok(timings);
    assert.deepEqual(Object.keys(timings).sort(), ['bytesReceived', 'bytesSent', 'durationMs', 'finishedAt', 'queuedAt', 'sentAt', 'startedAt']);
    const { queuedAt, sentAt, startedAt, finishedAt, durationMs } = timings;
    assert.ok(queuedAt <= sentAt && sentAt <= startedAt && startedAt <= finishedAt, `times in order: ${JSON.stringify(timings)}`);
    // The sleep happened in Python, inside the round trip the CLI measured.
    assert.ok(durationMs >= 200 && durationMs <= finishedAt - sentAt, `durationMs ${durationMs} covers the 200 ms sleep`);
    assert.ok(timings.bytesSent > 0 && timings.bytesReceived > 0);
  });

  it('--json: a table result\'s preview, its cells as text (NaN by name)', () => {
    const code = 'import pandas as pd\npd.DataFrame({"x": [0.1 + 0.2, float("nan")]})';
    const result = runCli(['eval', '--backend', 'docker', '--image', FULL_IMAGE, '--json', code], { cwd: tempWorkspace() });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).table.rows, [['0.30000000000000004'], ['NaN']]);
  });

  it('--json: a Python error is the exception, its frames at the user\'s line and the traceback, with exit code 1', () => {
    const result = pydock('eval', ['--json', 'x = 1\n1 / 0']);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, '', 'with --json everything is in the object');
    const output = parseJson(result);
    assert.deepEqual([output.ok, output.type, output.value, output.repr], [false, null, null, null]);
    const error = output.error as PythonErrorInfo;
    assert.deepEqual([error.type, error.message], ['ZeroDivisionError', 'division by zero']);
    assert.deepEqual(error.frames, [{ file: '<pydock eval>', line: 2, name: '<module>', text: '1 / 0' }]);
    assert.match(error.text, /^Traceback \(most recent call last\):\n {2}File "<pydock eval>", line 2, in <module>\n[\s\S]*ZeroDivisionError: division by zero\n$/);
    assert.ok(output.timings && output.timings.durationMs >= 0);
  });
});

describe('pydock run', () => {
  it('streams what the file prints while it runs, with the workspace as the working directory', async () => {
    const workspace = tempWorkspace();
    fs.writeFileSync(path.join(workspace, 'job.py'), [
      'import os, time',
      'print("waiting for go")',
      'deadline = time.monotonic() + 60',
      'while not os.path.exists("go"):',
      '    assert time.monotonic() < deadline, "no go file: the first line was not streamed"',
      '    time.sleep(0.01)',
      'print("got go")',
    ].join('\n'));
    const child = spawn(process.execPath, [CLI, 'run', ...DOCKER, 'job.py'], { cwd: workspace });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      // The script ends only after this file appears, so it ends well only if its first line reached us while it ran.
      if (stdout === 'waiting for go\n') fs.writeFileSync(path.join(workspace, 'go'), '');
    });
    const [status] = await once(child, 'close');
    assert.equal(status, 0, stderr);
    assert.equal(stdout, 'waiting for go\ngot go\n');
  });

  it('a traceback points at the user\'s file and lines, exits 1, and the container is removed', () => {
    const workspace = tempWorkspace();
    fs.writeFileSync(path.join(workspace, 'calc.py'), 'def ratio(a, b):\n    return a / b\n\nprint("before")\nratio(1, 0)\n');
    const result = pydock('run', ['calc.py'], workspace);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, 'before\n');
    const file = path.join(workspace, 'calc.py');
    assert.match(result.stderr, /^Traceback \(most recent call last\):\n/);
    assert.ok(result.stderr.includes(`  File "${file}", line 5, in <module>\n    ratio(1, 0)\n`), result.stderr);
    assert.ok(result.stderr.includes(`  File "${file}", line 2, in ratio\n    return a / b\n`), result.stderr);
    assert.match(result.stderr, /ZeroDivisionError: division by zero\n$/);
    assert.equal(docker('ps', '-a', '-q', '--filter', `label=pydock.workspace=${workspace}`), '');
  });
});

describe('exit code 2: usage and environment errors', () => {
  it('names a missing image and how to get it when pulling is off; with --json as a PydockError in the same object', () => {
    const image = 'pydock-test/missing:never';
    const text = runCli(['eval', '--backend', 'docker', '--pull', 'never', '--image', image, '1'], { cwd: tempWorkspace() });
    assert.deepEqual([text.status, text.stdout], [2, '']);
    assert.match(text.stderr, new RegExp(`^pydock: The image ${image} is not on the Docker host .*, and pulling is off\\.\\nPull it with "docker pull ${image}"`));
    const json = runCli(['eval', '--json', '--backend', 'docker', '--pull', 'never', '--image', image, '1'], { cwd: tempWorkspace() });
    assert.deepEqual([json.status, json.stderr], [2, '']);
    const output = parseJson(json);
    assert.deepEqual({ ...output, error: null }, { ok: false, type: null, value: null, repr: null, stdout: '', stderr: '', error: null, timings: null });
    const error = output.error as { type: string; code: string; message: string };
    assert.deepEqual([error.type, error.code], ['PydockError', 'image-missing']);
    assert.match(error.message, new RegExp(`^The image ${image} is not on the Docker host`));
  });

  it('names a Docker daemon that does not answer', () => {
    const socket = path.join(tempWorkspace(), 'docker.sock');
    const result = runCli(['eval', '--backend', 'docker', '1'], { env: { ...process.env, DOCKER_HOST: `unix://${socket}` } });
    assert.deepEqual([result.status, result.stdout], [2, '']);
    assert.match(result.stderr, new RegExp(`^pydock: Cannot reach the Docker daemon at unix://${socket} \\(from DOCKER_HOST\\)`));
  });

  it('says what is wrong with the command line, then the usage', () => {
    const cases: [string[], string][] = [
      [['eval', '--bogus', '1'], "Unknown option '--bogus'"],
      [['eval', '--backend', 'podman', '1'], '--backend must be docker, local, kubernetes or auto, not "podman"'],
      [['eval', '--timeout', 'soon', '1'], '--timeout must be a positive number of milliseconds'],
      [['eval', '1', '2'], 'eval takes exactly one CODE argument'],
      [['exec', '1'], 'unknown command "exec"'],
    ];
    for (const [args, problem] of cases) {
      const result = runCli(args);
      assert.deepEqual([result.status, result.stdout], [2, ''], args.join(' '));
      assert.ok(result.stderr.startsWith(`pydock: ${problem}`), `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /\nusage:\n {2}pydock eval/);
    }
  });

  it('names a file run cannot read', () => {
    const result = pydock('run', ['missing.py']);
    assert.deepEqual([result.status, result.stdout], [2, '']);
    assert.match(result.stderr, /^pydock: Cannot read missing\.py: ENOENT/);
  });
});
