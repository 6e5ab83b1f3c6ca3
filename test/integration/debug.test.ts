// Debugging in a session's container: `pydock dap` driven by a scripted DAP client, and the adapter when debugpy dies.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PydockDebugAdapter } from '../../extension/engine/debug/debugAdapter';
import { LocalBackend } from '../../extension/engine/local/localBackend';
import { DapDecoder, encodeDap } from '../../extension/engine/debug/dapFraming';
import type { RunOutcome, Session } from '../../extension/engine/session/session';
import { CLI, buildCli } from './cliSupport';
import { ScriptedDapClient } from './dapClient';
import { BARE_IMAGE, FULL_IMAGE, docker, newSession, tempWorkspace, testLog } from './helpers';

buildCli();

/** Debian's python3, which scripts/setup.sh gives python3-debugpy (the python3 on PATH may be another one). */
const LOCAL_PYTHON_WITH_DEBUGPY = '/usr/bin/python3';

const PROGRAM = 'x = 41\ny = x + 1\nprint("y is", y)\n';
const INITIALIZE = { adapterID: 'pydock', clientID: 'test', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true };

/** `pydock dap` as nvim-dap starts it: its own process, DAP on stdin and stdout. */
function pydockDap(workspace: string) {
  const child = spawn(process.execPath, [CLI, 'dap', '--backend', 'docker', '--image', FULL_IMAGE, '--workspace', workspace], { stdio: 'pipe' });
  const decoder = new DapDecoder();
  const client = new ScriptedDapClient((message) => child.stdin.write(encodeDap(message)));
  child.stdout.on('data', (chunk: Buffer) => { for (const message of decoder.push(chunk)) client.receive(message); });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return { client, child, stderr: () => stderr };
}

/** The adapter over a session of this process, as the extension runs it; `runs` collects the debugged runs. */
function adapterOn(session: Session, workspace: string, runs: Promise<RunOutcome>[] = [], noDebugger?: (session: Session, cause: string) => boolean) {
  let adapter: PydockDebugAdapter;
  const client = new ScriptedDapClient((message) => adapter.handle(message));
  adapter = new PydockDebugAdapter({
    session: async () => session, workspace,
    run: (s, code, options) => { runs.push(s.exec(code, options)); return runs[runs.length - 1]; },
    ...(noDebugger ? { noDebugger } : {}),
  }, (message) => client.receive(message), testLog);
  return client;
}

/** A Docker session on a workspace holding PROGRAM. */
function programSession() {
  const workspace = tempWorkspace();
  const file = path.join(workspace, 'program.py');
  fs.writeFileSync(file, PROGRAM);
  return { workspace, file, session: newSession({ name: 'debug', backend: 'docker', image: FULL_IMAGE }, { workspace }) };
}

/** initialize, launch, a breakpoint, configurationDone: resolves when the run stops there, with its top frame. */
async function stopAt(client: ScriptedDapClient, launch: Record<string, unknown>, file: string, line: number) {
  await client.ask('initialize', INITIALIZE);
  const launched = client.request('launch', launch);
  await client.event('initialized');
  const { breakpoints } = await client.ask('setBreakpoints', { source: { path: file }, breakpoints: [{ line }] }) as { breakpoints: { verified: boolean }[] };
  assert.equal(breakpoints[0].verified, true, 'the breakpoint is verified: the file exists in the container under /workspace');
  await client.ask('configurationDone');
  assert.equal((await launched).success, true);
  const threadId = (await client.event('stopped')).body!.threadId as number;
  const { stackFrames } = await client.ask('stackTrace', { threadId }) as { stackFrames: { id: number; line: number; source: { path: string } }[] };
  return { threadId, frame: stackFrames[0] };
}

describe('pydock dap', () => {
  it('stops at a breakpoint on line 2 of a program, shows a variable, evaluates in the frame and runs to the end with its output', async () => {
    const workspace = tempWorkspace();
    const program = path.join(workspace, 'program.py');
    fs.writeFileSync(program, PROGRAM);
    const { client, child, stderr } = pydockDap(workspace);
    try {
      const { threadId, frame } = await stopAt(client, { program }, program, 2);
      assert.deepEqual([frame.source.path, frame.line], [program, 2], 'the frame names the host file: /workspace is mapped back');
      const { scopes } = await client.ask('scopes', { frameId: frame.id }) as { scopes: { name: string; variablesReference: number }[] };
      const { variables } = await client.ask('variables', { variablesReference: scopes[0].variablesReference }) as { variables: { name: string; value: string }[] };
      assert.equal(variables.find((v) => v.name === 'x')?.value, '41');
      assert.equal((await client.ask('evaluate', { expression: 'x * 10', frameId: frame.id, context: 'repl' })).result, '410');
      await client.ask('continue', { threadId });
      await client.event('terminated');
      assert.match(client.output(), /y is 42\n/);
      await client.ask('disconnect', {});
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr());
    } finally {
      child.kill();
    }
  });
});

/** Where a session is debugged: the container, and the local backend on Debian's python3 (python3-debugpy, set up). */
const DEBUGGED: [string, (workspace: string) => Session][] = [
  ['in a container', (workspace) => newSession({ name: 'debug', backend: 'docker', image: FULL_IMAGE }, { workspace })],
  ['on the local backend', (workspace) => newSession({ name: 'debug local', backend: 'local', image: '' }, { workspace },
    async () => new LocalBackend(LOCAL_PYTHON_WITH_DEBUGPY))],
];

describe('the debug adapter on a session', () => {
  for (const [where, sessionOn] of DEBUGGED) {
    it(`debugs code that sits at a line of a file, ${where}, in the namespace earlier runs made, and the session keeps what it defined`, async () => {
      const workspace = tempWorkspace();
      const file = path.join(workspace, 'cells.py');
      const cell = 'z = base * 2\nw = z + 1\n';
      fs.writeFileSync(file, `# %%\nbase = 20\n# %%\n${cell}`);
      const session = sessionOn(workspace);
      assert.equal((await session.exec('base = 20')).ok, true);
      const client = adapterOn(session, workspace);
      const { threadId, frame } = await stopAt(client, { code: cell, file, line: 4 }, file, 5);
      assert.deepEqual([frame.source.path, frame.line], [file, 5]);
      assert.equal((await client.ask('evaluate', { expression: 'z', frameId: frame.id, context: 'repl' })).result, '40');
      await client.ask('continue', { threadId });
      await client.event('terminated');
      await client.ask('disconnect', {});
      const w = await session.eval('w');
      assert.equal(w.ok && w.value, 41, 'what the debugged code defined stays in the namespace');
    });
  }

  it('fails initialize without debugpy with the cause and the Docker remedy; a host that tells the user itself gets it marked not to show', async () => {
    const workspace = tempWorkspace();
    const session = newSession({ name: 'no debugpy', backend: 'docker', image: BARE_IMAGE }, { workspace });
    const plain = await adapterOn(session, workspace).request('initialize', INITIALIZE);
    assert.equal(plain.success, false);
    assert.match(plain.message!, /cannot import debugpy[^]*To debug, add "debugpy" to the requirements in \.pydock\/environment\.json/);
    assert.equal(plain.body, undefined, 'a client without a remedy of its own shows the message');

    const told: string[] = [];
    const offered = adapterOn(session, workspace, [], (_s, cause) => told.push(cause) > 0);
    const hidden = await offered.request('initialize', INITIALIZE);
    assert.deepEqual((hidden.body as { error?: { showUser?: boolean } }).error?.showUser, false);
    assert.deepEqual(told.map((cause) => /cannot import debugpy/.test(cause)), [true], 'the host heard the cause once');
    await offered.event('terminated');
    assert.equal(offered.events.filter((e) => e.event === 'output').length, 0, 'no second word in the console');
    assert.equal((await session.eval('6 * 7')).ok, true, 'the session lives on');
  });

  it('fails what waits on a debugger that dies mid-session with the cause, ends the debug session, and the Python session lives', async () => {
    const { workspace, file, session } = programSession();
    const client = adapterOn(session, workspace);
    await stopAt(client, { program: file }, file, 2);
    const container = /container ([0-9a-f]+)/.exec(session.description)![1];
    docker('exec', container, 'python3', '-c', [
      'import os, signal',
      'for pid in filter(str.isdigit, os.listdir("/proc")):',
      '    if int(pid) != os.getpid() and b"debugpy/adapter" in open("/proc/%s/cmdline" % pid, "rb").read():',
      '        os.kill(int(pid), signal.SIGKILL)',
    ].join('\n'));
    await client.event('terminated');
    const late = await client.request('threads');
    assert.equal(late.success, false);
    assert.match(late.message!, /debugger/i);
    assert.match(client.events.map((e) => e.body?.output ?? '').join(''), /the debugger ended: debugpy closed the connection/);
    const after = await session.eval('6 * 7', { timeoutMs: 20_000 });
    assert.equal(after.ok && after.value, 42, 'the session answers: the stopped run went on when its debugger died');
  });

  it('lets Interrupt stop a run held at a breakpoint, and Restart end the debug session with a fresh Python', async () => {
    const { workspace, file, session } = programSession();
    const runs: Promise<RunOutcome>[] = [];
    const client = adapterOn(session, workspace, runs);
    await stopAt(client, { program: file }, file, 2);
    assert.notEqual(await session.interrupt(), 'ignored');
    const interrupted = await runs[0];
    assert.equal(!interrupted.ok && interrupted.error.type, 'KeyboardInterrupt');
    await client.event('terminated');
    await client.ask('disconnect', {});
    assert.equal((await session.eval('x')).ok, true, 'the lines before the breakpoint ran; the session answers');

    const again = adapterOn(session, workspace);
    await stopAt(again, { program: file }, file, 2);
    await session.restart();
    await again.event('terminated');
    assert.match(again.events.map((e) => e.body?.output ?? '').join(''), /the debugger ended: the Python session was stopped/);
    const fresh = await session.eval('"x" in globals()');
    assert.equal(fresh.ok && fresh.value, false, 'a fresh Python');
  });
});
