// The fault suite: each fault against a real container, each ending with "nothing lost" (namespace, output, next run).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PydockError } from '../../extension/api';
import type { AgentProcess, Backend } from '../../extension/engine/backend';
import { connectBackend } from '../../extension/engine/backends';
import { decode } from '../../extension/engine/codec';
import type { Session } from '../../extension/engine/session';
import { apiOn } from './apiSupport';
import { FULL_IMAGE, TARGETS, newSession, requireImages, testLog } from './helpers';

before(requireImages);

const DOCKER_FULL = TARGETS[0];

/** The session's namespace survived: a name defined before the fault still holds its value. */
async function namespaceSurvived(session: Session, name = 'kept', expected: unknown = 41): Promise<void> {
  const outcome = await session.eval(name);
  assert.ok(outcome.ok, `the namespace is gone: ${outcome.ok ? '' : outcome.error.text}`);
  assert.equal(outcome.value, expected);
}

/** Prints `count` numbered lines and checks each reached `seen` once, in order. */
async function everyLineOnce(session: Session, count = 200): Promise<void> {
  const seen: string[] = [];
  const outcome = await session.exec(`for i in range(${count}): print(f"line {i}")`, { onStream: (_, text) => seen.push(text) });
  assert.ok(outcome.ok);
  assert.deepEqual(seen.join('').split('\n').filter(Boolean), Array.from({ length: count }, (_, i) => `line ${i}`));
}

/** A Docker backend whose agents' request frames pass through `tamper`, which may change a frame's payload. */
function tamperingBackend(tamper: (type: string, payload: Buffer) => Buffer): () => Promise<Backend> {
  return async () => {
    const docker = await connectBackend({ choice: 'docker', log: testLog });
    return {
      kind: 'docker', sandboxed: true, description: 'docker (tampering)',
      async launch(spec, sinks): Promise<AgentProcess> {
        const agent = await docker.launch(spec, sinks);
        return {
          id: agent.id, exited: agent.exited, kill: () => agent.kill(),
          write(chunks) {
            const payload = Buffer.concat(chunks.slice(1));
            agent.write([chunks[0], tamper((decode(payload) as { type: string }).type, payload)]);
          },
        };
      },
    };
  };
}

/** Where the running agent writes its events: user code can reach it, as a bug in the agent could. */
const AGENT = '[o for o in __import__("gc").get_objects() if type(o).__name__ == "Agent"][0]';

describe('faults: malformed messages', () => {
  it('an event the agent sends malformed rejects its run, naming what was wrong; the session goes on', async () => {
    const session = newSession(DOCKER_FULL);
    await session.exec('kept = 41');
    const outcome = session.exec(`agent = ${AGENT}\nagent.send({"type": "result", "id": agent.current_id, "pyType": "int", "repr": "", "value": 1})`);
    await assert.rejects(outcome, (e: unknown) => e instanceof PydockError && e.code === 'protocol'
      && /malformed "result" event: it lacks durationMs/.test(e.message) && /session and its variables are intact/.test(e.hint));
    await namespaceSurvived(session);
    await everyLineOnce(session);
  });

  it('a request the agent cannot read is not left pending: what had not started is cancelled with the cause', async () => {
    let corruptNextEval = false;
    const backend = tamperingBackend((type, payload) => {
      if (!corruptNextEval || type !== 'eval') return payload;
      corruptNextEval = false;
      return Buffer.alloc(payload.length, 0xc1); // not MessagePack: the agent cannot even read its id
    });
    const session = newSession(DOCKER_FULL, {}, backend);
    await session.exec('kept = 41');
    corruptNextEval = true;
    const lost = session.eval('kept + 1');
    await assert.rejects(lost, (e: unknown) => e instanceof PydockError && e.code === 'protocol'
      && /could not read a request sent to it/.test(e.message) && /runs not yet started were cancelled/.test(e.hint));
    await namespaceSurvived(session);
    await everyLineOnce(session);
  });
});

describe('faults: a listener that throws', () => {
  it('fails only its own run, after the run finished; the session, its namespace and its output go on', async () => {
    const api = apiOn(FULL_IMAGE);
    const s = api.session({ name: 'throwing-listener' });
    await s.exec('kept = 41');
    const thrown = new Error('listener bug');
    const failure = await s.exec('print("hi"); ran = True', { onOutput: () => { throw thrown; } }).then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof PydockError, `expected a PydockError, got ${failure}`);
    assert.equal(failure.code, 'callback');
    assert.match(failure.message, /threw: listener bug\. The run itself finished; the session and its variables are intact/);
    assert.equal(failure.cause, thrown);
    assert.equal(await s.eval('ran'), true, 'the run went on to its end');
    assert.equal(await s.eval('kept + 1'), 42, 'the namespace survived');
    await assert.rejects(s.eval('1', { onTrace: () => { throw thrown; } }), (e) => e === thrown, 'an onTrace that throws reaches its caller');
    assert.equal(await s.eval('kept'), 41);
  });

  it('in a session listener, is logged; the other listeners, the run and the output go on', async () => {
    const session = newSession(DOCKER_FULL);
    await session.exec('kept = 41');
    const heard: string[] = [];
    session.onDidOutput(() => { throw new Error('panel bug'); });
    session.onDidOutput((event) => heard.push(event.text));
    session.onDidChangeState(() => { throw new Error('status bar bug'); });
    await everyLineOnce(session);
    assert.match(heard.join(''), /line 0\n[^]*line 199\n/);
    await namespaceSurvived(session);
  });
});
