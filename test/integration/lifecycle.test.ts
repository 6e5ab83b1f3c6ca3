// Session lifecycle against real containers: reattach after a window reload with replayed output, acks, the lease and
// GC, automatic restarts, the idle stop, the warm pool, and listing and stopping pydock's containers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { connectBackend, listContainers, stopContainer } from '../../extension/engine/launch/backends';
import { DockerBackend } from '../../extension/engine/docker/dockerBackend';
import { resolveDockerEndpoint } from '../../extension/engine/docker/endpoint';
import { PydockError } from '../../extension/engine/errors';
import { ownerIsAlive } from '../../extension/engine/launch/owner';
import { Session, type LifecycleEvent, type OutputEvent, type RunOutcome, type SessionOptions } from '../../extension/engine/session/session';
import { WarmPool } from '../../extension/engine/session/warmPool';
import { Recorder } from '../../extension/panel/recorder';
import { SessionFollower } from '../../extension/panel/sessionFollower';
import type { StreamOutput, TranscriptEntry } from '../../shared/transcript';
import { FULL_IMAGE, docker, requireImages, tempWorkspace, testLog, waitFor } from './helpers';

before(requireImages);

/** Every container of this file carries this workspace label, so cleanup finds them all, also after a failure. */
const WORKSPACE_LABEL = `file:///pydock-lifecycle-test/${process.pid}-${randomBytes(3).toString('hex')}`;
const sessions: Session[] = [];

function newSession(sessionLabel: string, options: Partial<SessionOptions> = {}, workspace?: string): Session {
  const session = new Session({
    name: `lifecycle ${sessionLabel}`, log: testLog,
    backend: () => connectBackend({ choice: 'docker', log: testLog }),
    // network none: the agent needs none, and the tests then do not depend on the host's bridge
    launch: { image: FULL_IMAGE, workspace, workspaceReadOnly: false, env: {}, memoryBytes: 512 << 20, network: 'none', workspaceLabel: WORKSPACE_LABEL, sessionLabel },
    ...options,
  });
  sessions.push(session);
  return session;
}

const label = () => `s-${randomBytes(4).toString('hex')}`;
const ids = (filter: string) => docker('ps', '-a', '-q', '--no-trunc', '--filter', `label=pydock.workspace=${WORKSPACE_LABEL}`, '--filter', filter).split('\n').filter(Boolean);
const containerOf = (session: Session) => /container ([0-9a-f]{12})/.exec(session.description)![1];
const inspect = (id: string) => JSON.parse(docker('inspect', id))[0];
const exists = (id: string) => { try { docker('inspect', id); return true; } catch { return false; } };
const lines = (text: string) => text.split('\n').filter(Boolean);
function valueOf(outcome: RunOutcome): unknown {
  if (!outcome.ok) assert.fail(`expected success, got ${outcome.error.text}`);
  return outcome.value;
}
function recorded<T>(event: (listener: (e: T) => void) => unknown): T[] {
  const seen: T[] = [];
  event((e) => seen.push(e));
  return seen;
}
/** A session (labelled `session`) that set x = 41 and then detached, as a window reload does; and its container. */
async function detachedAfterX(session: string): Promise<{ first: Session; container: string }> {
  const first = newSession(session, { reattach: true });
  valueOf(await first.exec('x = 41'));
  const container = containerOf(first);
  await first.detach();
  return { first, container };
}
const isPydockError = (code: string, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PydockError, `expected a PydockError, got ${e}`);
  assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.describe(), message);
  return true;
};

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});
after(() => {
  const left = ids(`label=pydock.workspace=${WORKSPACE_LABEL}`);
  if (left.length) docker('rm', '-f', '-v', ...left);
});

describe('reattach after a window reload', () => {
  it('keeps the namespace: a new Session attaches to the running container, claims it, and x + 1 is 42', async () => {
    const session = label();
    const { first, container } = await detachedAfterX(session);
    assert.equal(first.state, 'stopped');
    assert.equal(inspect(container).State.Running, true, 'detaching leaves the container running');

    const second = newSession(session, { reattach: true, resumeFrom: first.resumePoint });
    const lifecycle = recorded<LifecycleEvent>(second.onDidLifecycle);
    assert.equal(valueOf(await second.eval('x + 1')), 42);
    assert.equal(containerOf(second), container, 'the same container, not a new one');
    assert.deepEqual(lifecycle.map((e) => e.kind), ['reattached']);
    assert.match(inspect(container).Name, new RegExp(`^/pydock_${process.pid}_${container}_`), 'renamed after its new owner');

    const fresh = newSession(label(), {});
    assert.equal(valueOf(await fresh.eval('"x" in globals()')), false, 'without reattach (CLI, API), a session starts fresh');
  });

  it('starts afresh, removing the old container, when the settings changed while no window had it', async () => {
    const session = label();
    const { first, container } = await detachedAfterX(session);
    const launch = { image: FULL_IMAGE, workspaceReadOnly: false, env: { CHANGED: '1' }, memoryBytes: 512 << 20, network: 'none', workspaceLabel: WORKSPACE_LABEL, sessionLabel: session };
    const second = newSession(session, { reattach: true, resumeFrom: first.resumePoint, launch });
    assert.equal(valueOf(await second.eval('__import__("os").environ.get("CHANGED")')), '1', 'the new settings apply');
    assert.equal(valueOf(await second.eval('"x" in globals()')), false, 'a fresh Python');
    assert.notEqual(containerOf(second), container);
    assert.deepEqual(ids(`id=${container}`), [], 'the old container is gone');
  });

  it('replays the output printed while detached, in order, with nothing lost or duplicated', async () => {
    const session = label();
    const workspace = tempWorkspace();
    const progress = () => Number(fs.readFileSync(path.join(workspace, 'progress'), 'utf8') || -1);
    const first = newSession(session, { reattach: true }, workspace);
    const shownBefore: string[] = [];
    const run = first.exec([
      'import time',
      'for i in range(20):',
      '    print(f"line {i}", flush=True)',
      '    open("progress", "w").write(str(i))',
      '    time.sleep(0.1)',
      '"done"',
    ].join('\n'), { onStream: (_, text) => shownBefore.push(...lines(text)) });
    const runEnd = run.then(() => 'resolved', (error: Error) => error.message);
    await waitFor(() => shownBefore.length >= 3, 10_000, 'three lines before the reload');
    await first.detach();
    assert.match(await runEnd, /detached/, 'the run the window was waiting for rejects, saying why');
    const detachedAt = progress();
    await waitFor(() => progress() >= detachedAt + 3, 10_000, 'three lines printed while detached');

    const second = newSession(session, { reattach: true, resumeFrom: first.resumePoint }, workspace);
    const output = recorded<OutputEvent>(second.onDidOutput);
    const lifecycle = recorded<LifecycleEvent>(second.onDidLifecycle);
    await second.start();
    assert.equal(second.state, 'busy', 'the run from before the reload still runs, so the session is busy');
    await waitFor(() => lifecycle.some((e) => e.kind === 'orphan-finished'), 10_000, 'the run to end');

    const shownAfter = output.flatMap((e) => ('text' in e ? lines(e.text) : []));
    assert.deepEqual([...shownBefore, ...shownAfter], Array.from({ length: 20 }, (_, i) => `line ${i}`), 'every line once, in order');
    const replayed = output.filter((e) => e.replayed).flatMap((e) => ('text' in e ? lines(e.text) : []));
    assert.ok(replayed.length >= 3, `the lines printed while detached are marked replayed: ${JSON.stringify(replayed)}`);
    assert.deepEqual(shownAfter.slice(0, replayed.length), replayed, 'replayed output comes first, then live output');
    const reattached = lifecycle.find((e) => e.kind === 'reattached');
    assert.ok(reattached?.kind === 'reattached' && reattached.replay.events >= 3 && reattached.replay.droppedEvents === 0);
    const finished = lifecycle.find((e) => e.kind === 'orphan-finished');
    assert.ok(finished?.kind === 'orphan-finished' && finished.ok && !finished.replayed, `the run ended live, after the reattach: ${JSON.stringify(finished)}`);
    assert.equal(second.state, 'idle');
  });

  it('puts every line of a run that spans the reload into its transcript entry, once and in order, then its plot and result', async () => {
    const session = label();
    const workspace = tempWorkspace();
    const progressFile = path.join(workspace, 'progress');
    const progress = () => (fs.existsSync(progressFile) ? Number(fs.readFileSync(progressFile, 'utf8') || -1) : -1);
    const first = newSession(session, { reattach: true }, workspace);
    const before = new Recorder(() => undefined);
    const code = [
      'import time, matplotlib',
      'matplotlib.use("agg")',
      'import matplotlib.pyplot as plt',
      'for i in range(30):',
      '    print(f"line {i}", flush=True)',
      '    open("progress", "w").write(str(i))',
      '    time.sleep(0.1)',
      'plt.plot([1, 2, 3]); plt.show()',
      '"done"',
    ].join('\n');
    const running = before.run({ code, source: 'REPL' }, (options) => first.exec(code, options)).then(() => 'resolved', (e: Error) => e.message);
    const streamed = (entry: TranscriptEntry) => entry.outputs.flatMap((o) => (o.kind === 'stream' ? lines((o as StreamOutput).head + o.tail) : []));
    await waitFor(() => progress() >= 5, 20_000, 'five lines before the reload');
    await first.detach();
    assert.match(await running, /detached/);
    const left = before.entries[0];
    assert.equal(left.state, 'running', 'the entry stays open: its run goes on in the container');
    assert.equal(typeof left.runId, 'number', 'the entry knows the id its run was sent under');
    const saved: TranscriptEntry[] = JSON.parse(JSON.stringify(before.entries)); // what the window saves as it reloads
    const detachedAt = progress();
    await waitFor(() => progress() >= detachedAt + 3, 10_000, 'three lines printed while detached');

    const second = newSession(session, { reattach: true, resumeFrom: first.resumePoint }, workspace);
    const after = new Recorder(() => undefined);
    after.restore(saved);
    const follower = new SessionFollower(after);
    assert.equal(follower.following, true);
    second.onDidOutput((e) => follower.output(e));
    second.onDidLifecycle((e) => follower.lifecycle(e));
    second.onDidChangeState((s) => follower.state(s));
    await second.start();
    const entry = after.entries[0];
    await waitFor(() => entry.state !== 'running', 20_000, 'the run to end in its entry');

    assert.deepEqual(streamed(entry), Array.from({ length: 30 }, (_, i) => `line ${i}`), 'every line once, in order, in the run\'s own entry');
    assert.deepEqual(entry.outputs.slice(-2).map((o) => o.kind), ['display', 'result'], 'the plot shown after the reload, then the result');
    assert.equal((entry.outputs.at(-1) as { repr: string }).repr, "'done'");
    assert.equal(entry.state, 'done');
    assert.deepEqual(after.entries.slice(1).map((e) => e.outputs[0]).map((o) => o.kind === 'notice' && o.text.split(':')[0]),
      ['Reattached to the running session after the window reload'], 'no stray output entry, only the reattach notice');
  });

  it('acknowledges what it read, so the agent keeps only unread events', async () => {
    const session = label();
    const first = newSession(session, { reattach: true });
    valueOf(await first.exec('for i in range(200): print("x" * 1000, flush=True)'));
    const keptBytes = 'next(o for o in __import__("gc").get_objects() if type(o).__name__ == "ReplayBuffer").kept_bytes';
    let kept = Infinity;
    for (const started = Date.now(); kept > 10_000 && Date.now() - started < 5000;) kept = valueOf(await first.eval(keptBytes)) as number;
    assert.ok(kept <= 10_000, `the agent still keeps ${kept} bytes: the 200 KB printed were never acknowledged`);
    await first.detach();
    const second = newSession(session, { reattach: true });
    const lifecycle = recorded<LifecycleEvent>(second.onDidLifecycle);
    await second.start();
    assert.deepEqual(lifecycle[0], {
      kind: 'reattached', agent: containerOf(second),
      replay: { events: 0, bytes: 0, keptEvents: 0, keptBytes: 0, droppedEvents: 0, droppedBytes: 0 }, after: 'reload',
    }, 'detaching acknowledged everything read, so a reattach without a resume point replays nothing twice');
  });
});

describe('lease and garbage collection', () => {
  it('keeps an agent with heartbeats past its grace; without them it exits, and GC removes the container of its dead owner', async () => {
    const deadOwner = `${os.hostname()}:999999`; // the window that started it is gone
    const backend = await DockerBackend.connect(resolveDockerEndpoint({ env: process.env }), deadOwner);
    const session = newSession(label(), { backend: async () => backend, graceMs: 1500 });
    valueOf(await session.eval('1'));
    const id = inspect(containerOf(session)).Id;
    const attachedSince = Date.now();
    await waitFor(() => Date.now() - attachedSince > 3000, 5000, 'twice the grace with heartbeats');
    assert.equal(valueOf(await session.eval('2')), 2, 'heartbeats kept the agent');
    await session.detach();
    assert.equal(inspect(id).State.Running, true, 'a detached agent runs on, for a reattach');
    assert.deepEqual(await backend.removeLeftovers(ownerIsAlive), [], 'GC leaves a running container alone');
    await waitFor(() => inspect(id).State.Status === 'exited', 15_000, 'the agent to exit after its 1.5 s grace');
    assert.equal(inspect(id).State.ExitCode, 75, 'the exit code that means "no heartbeat"');
    assert.deepEqual(await backend.removeLeftovers(ownerIsAlive), [id.slice(0, 12)]);
    assert.equal(exists(id), false, 'GC removed the exited container of the dead owner');
  });

  it('lists pydock containers with labels and owner, and stops one; the session using it hears why', async () => {
    const session = newSession(label());
    valueOf(await session.eval('1'));
    const id = containerOf(session);
    const backend = await connectBackend({ choice: 'docker', log: testLog });
    const listed = (await listContainers(backend)).find((c) => c.id === id);
    assert.deepEqual(listed && { ...listed, created: undefined, status: undefined }, {
      id, image: FULL_IMAGE, workspace: WORKSPACE_LABEL, session: session.name.split(' ')[1], owner: `${os.hostname()}:${process.pid}`,
      ownerAlive: true, state: 'running', created: undefined, status: undefined,
    });
    assert.equal(await stopContainer(backend, id), true);
    await waitFor(() => session.state === 'dead', 10_000, 'the session to hear of the removal');
    assert.equal(session.deathCause?.code, 'removed');
    assert.equal((await listContainers(backend)).some((c) => c.id === id), false);
    assert.equal(await stopContainer(backend, id), false, 'a container already gone');
    const other = docker('create', '--label', `pydock.workspace=${WORKSPACE_LABEL}-not-pydock`, FULL_IMAGE, 'true');
    try {
      await assert.rejects(stopContainer(backend, other), /is not one of pydock's/);
    } finally {
      docker('rm', '-f', other);
    }
  });
});

describe('supervision', () => {
  it('restarts by itself after the agent dies, re-runs init and says why; pending runs fail with the cause; no loops', async () => {
    const session = newSession(label(), { autoRestart: true, init: 'STARTS = globals().get("STARTS", 0) + 1' });
    const lifecycle = recorded<LifecycleEvent>(session.onDidLifecycle);
    valueOf(await session.exec('y = 1'));
    assert.equal(valueOf(await session.eval('STARTS')), 1, 'init ran on the first agent');
    const first = containerOf(session);
    const dying = session.exec('import os; os._exit(3)');
    const queued = session.eval('2');
    await assert.rejects(dying, isPydockError('exited', /exited with code 3/));
    await assert.rejects(queued, isPydockError('exited', /exited with code 3/));
    await waitFor(() => lifecycle.some((e) => e.kind === 'auto-restarted'), 30_000, 'the automatic restart');
    const restarted = lifecycle.find((e) => e.kind === 'auto-restarted');
    assert.ok(restarted?.kind === 'auto-restarted' && restarted.cause.code === 'exited' && /code 3/.test(restarted.cause.message));
    assert.notEqual(containerOf(session), first);
    assert.equal(exists(first), false, 'the dead container was removed');
    assert.equal(valueOf(await session.eval('STARTS')), 1, 'init ran again on the new agent');
    assert.equal(valueOf(await session.eval('"y" in globals()')), false, 'a fresh namespace');

    await assert.rejects(session.exec('import os; os._exit(4)'), isPydockError('exited', /code 4/));
    await waitFor(() => lifecycle.some((e) => e.kind === 'auto-restart-stopped'), 10_000, 'supervision to give up');
    const stopped = lifecycle.find((e) => e.kind === 'auto-restart-stopped');
    assert.ok(stopped?.kind === 'auto-restart-stopped' && /died again within 30 s/.test(stopped.reason) && /code 4/.test(stopped.cause.message));
    assert.equal(session.state, 'dead');
    assert.equal(lifecycle.filter((e) => e.kind === 'auto-restarted').length, 1, 'one restart, no loop');
  });

  it('stops after idleStopMs without a run (a long run is not idle), and the next run starts afresh', async () => {
    const session = newSession(label(), { idleStopMs: 500 });
    const lifecycle = recorded<LifecycleEvent>(session.onDidLifecycle);
    valueOf(await session.exec('import time; z = 1; time.sleep(1)'));
    assert.deepEqual(lifecycle, [], 'a run longer than the idle time is not idle');
    const id = containerOf(session);
    await waitFor(() => lifecycle.length > 0, 10_000, 'the idle stop');
    assert.deepEqual(lifecycle, [{ kind: 'idle-stopped', idleMs: 500 }]);
    assert.equal(session.state, 'stopped');
    assert.equal(exists(id), false, 'its container was removed');
    assert.equal(valueOf(await session.eval('"z" in globals()')), false);
    assert.notEqual(containerOf(session), id);
  });
});

describe('warm pool', () => {
  it('hands a warm container over at start, refills, and removes the warm one on dispose', async () => {
    const sessionLabel = label();
    const pool = new WarmPool({ log: testLog });
    try {
      const session = newSession(sessionLabel, { warmPool: pool, init: 'READY = True' });
      assert.equal(await session.prewarm(), true);
      const running = () => ids(`label=pydock.session=${sessionLabel}`).map((id) => id.slice(0, 12));
      const [warm] = running();
      assert.equal(valueOf(await session.eval('READY')), true, 'init ran on the handed-over agent');
      assert.equal(containerOf(session), warm, 'the session took the warm container');
      assert.equal(await session.prewarm(), true, 'the pool refilled');
      assert.deepEqual(new Set(running()).size, 2);
      await pool.dispose();
      assert.deepEqual(running(), [warm], 'dispose removed the warm container, not the session\'s');
    } finally {
      await pool.dispose();
    }
  });
});

describe('local backend', () => {
  it('detaches by stopping: a local process cannot outlive its window', async () => {
    const session = newSession(label(), { backend: () => connectBackend({ choice: 'local', log: testLog }), reattach: true });
    valueOf(await session.eval('1'));
    const pid = session.info!.pid;
    await session.detach();
    assert.equal(session.state, 'stopped');
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the local agent process is gone');
  });
});
