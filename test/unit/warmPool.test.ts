// The warm pool: one agent per launch spec, handed over with its hello once ready, refilled, kept alive, disposed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import type { AgentExit, AgentProcess, AgentSinks, Backend, LaunchSpec } from '../../extension/engine/launch/backend';
import { decode, encode } from '../../extension/engine/wire/codec';
import { FrameDecoder, encodeFrame } from '../../extension/engine/wire/framing';
import { waitUntil } from '../../extension/engine/poll';
import { WarmPool } from '../../extension/engine/session/warmPool';

interface FakeAgent extends AgentProcess { sinks: AgentSinks; sent: unknown[]; killed: boolean; end(): void }

/** A backend whose agents say hello when told to. */
function fakeBackend() {
  const agents: FakeAgent[] = [];
  const backend: Backend = {
    kind: 'docker', sandboxed: true, description: 'fake',
    async launch(_spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess> {
      const decoder = new FrameDecoder();
      let end: (exit: AgentExit) => void = () => undefined;
      const agent: FakeAgent = {
        id: `agent-${agents.length + 1}`, sinks, sent: [], killed: false,
        exited: new Promise((resolve) => { end = resolve; }),
        write(chunks) { for (const f of decoder.push(Buffer.concat(chunks))) agent.sent.push(decode(f)); },
        async kill() { agent.killed = true; end({ code: 137, oomKilled: false, removed: true }); },
        end: () => end({ code: 1, oomKilled: false, removed: false }),
      };
      agents.push(agent);
      return agent;
    },
  };
  return { backend, agents };
}
const helloFrame = Buffer.concat(encodeFrame(encode({ type: 'hello', seq: 1, id: null })));
const spec = (image: string): LaunchSpec => ({ image, workspaceReadOnly: false, env: {}, workspaceLabel: 'w', sessionLabel: 's', agent: agentBundle() });
const collector = () => { const got: Buffer[] = []; return { got, sinks: { stdout: (c: Buffer) => got.push(c), stderr: () => undefined } }; };

describe('warm pool', () => {
  it('hands over a ready agent with the hello it held, keeps it alive meanwhile, and refills on the next fill', async () => {
    const { backend, agents } = fakeBackend();
    const pool = new WarmPool({ graceMs: 60_000 });
    pool.fill(backend, spec('img'));
    pool.fill(backend, spec('img'));
    assert.ok(await waitUntil(() => agents.length === 1, 1000), 'one launch for one spec, however often it is filled');
    assert.equal(pool.take(backend, spec('img'), collector().sinks), undefined, 'not ready before its hello');
    agents[0].sinks.stdout(helloFrame.subarray(0, 3));
    agents[0].sinks.stdout(helloFrame.subarray(3));
    assert.equal(await pool.ready(backend, spec('img')), true);
    assert.deepEqual(agents[0].sent, [{ type: 'ack', seq: 0, graceMs: 60_000 }], 'a heartbeat keeps the warm agent\'s lease');
    assert.equal(pool.take(backend, spec('other image'), collector().sinks), undefined, 'another spec gets nothing');
    const target = collector();
    assert.equal(pool.take(backend, spec('img'), target.sinks), agents[0]);
    assert.deepEqual(Buffer.concat(target.got), helloFrame, 'the new owner reads the hello');
    agents[0].sinks.stdout(Buffer.from('later'));
    assert.equal(Buffer.concat(target.got).subarray(helloFrame.length).toString(), 'later', 'and everything after it');
    pool.fill(backend, spec('img'));
    assert.ok(await waitUntil(() => agents.length === 2, 1000), 'the pool refills');
    await pool.dispose();
  });

  it('drops an agent that dies while warm, and removes warm agents on dispose', async () => {
    const { backend, agents } = fakeBackend();
    const pool = new WarmPool();
    pool.fill(backend, spec('img'));
    assert.ok(await waitUntil(() => agents.length === 1, 1000));
    agents[0].sinks.stdout(helloFrame);
    assert.equal(await pool.ready(backend, spec('img')), true);
    agents[0].end();
    assert.ok(await waitUntil(() => pool.take(backend, spec('img'), collector().sinks) === undefined, 1000), 'a dead agent is not handed over');
    pool.fill(backend, spec('img'));
    assert.ok(await waitUntil(() => agents.length === 2, 1000));
    agents[1].sinks.stdout(helloFrame);
    await pool.ready(backend, spec('img'));
    await pool.dispose();
    assert.equal(agents[1].killed, true);
  });
});
