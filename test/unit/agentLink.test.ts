// The agent link: finds the hello after a reattach's sync marker, marks replayed events, and acks lazily, off the round trip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentLink, type LinkListener } from '../../extension/engine/session/agentLink';
import type { AgentProcess } from '../../extension/engine/launch/backend';
import { decode, encode } from '../../extension/engine/wire/codec';
import { FrameDecoder, encodeFrame } from '../../extension/engine/wire/framing';
import type { AgentEvent } from '../../shared/agentProtocol';
import { waitUntil } from '../../extension/engine/poll';

const frame = (message: object) => Buffer.concat(encodeFrame(encode(message)));
const hello = (seq: number, agent = '1') => frame({
  type: 'hello', seq, id: 7, python: '3.11.2', agent, pid: 1, cwd: '/', running: null, lastId: 6,
  modules: { numpy: false, pandas: false, msgpack: false, matplotlib: false },
});
const stream = (seq: number, text: string) => frame({ type: 'stream', seq, id: 3, name: 'stdout', text });

function fakeProcess(): AgentProcess & { sent: Record<string, unknown>[]; probe?: () => Promise<void> } {
  const decoder = new FrameDecoder();
  const sent: Record<string, unknown>[] = [];
  return {
    id: 'fake', sent, exited: new Promise(() => undefined), kill: async () => undefined,
    write: (chunks) => { for (const f of decoder.push(Buffer.concat(chunks))) sent.push(decode(f) as Record<string, unknown>); },
  };
}

function linkWith(sync?: Buffer, heartbeatMs = 5000) {
  const seen: { event: AgentEvent; replayed: boolean }[] = [];
  const broken: Error[] = [];
  const malformed: { message: unknown; problem: string }[] = [];
  const resyncs: { marker: Buffer; lastSeq: number }[] = [];
  const inStep: AgentEvent[] = [];
  const listener: LinkListener = {
    event: (event, _bytes, replayed) => seen.push({ event, replayed }),
    malformed: (message, problem) => malformed.push({ message, problem }),
    outOfStep: (marker, lastSeq) => resyncs.push({ marker, lastSeq }),
    inStep: (hello) => inStep.push(hello),
    broken: (error) => broken.push(error),
  };
  return { link: new AgentLink(listener, 60_000, heartbeatMs, sync), seen, broken, malformed, resyncs, inStep };
}

describe('agent link', () => {
  it('skips a stream joined mid-frame up to the sync marker, then reads the hello and marks replayed events', async () => {
    const sync = Buffer.from('0123456789abcdef');
    const { link, seen, broken } = linkWith(sync);
    const bytes = Buffer.concat([stream(2, 'before').subarray(5), stream(3, 'also before'), sync, hello(10), stream(4, 'kept'), stream(11, 'live')]);
    const cut = bytes.indexOf(sync) + 5; // the marker split across chunks
    for (const chunk of [bytes.subarray(0, 9), bytes.subarray(9, cut), bytes.subarray(cut)]) link.receive(chunk);
    assert.deepEqual(broken, []);
    assert.deepEqual(seen.map(({ event, replayed }) => `${event.type}:${event.seq}:${replayed}`), ['hello:10:false', 'stream:4:true', 'stream:11:false']);
    assert.equal((await link.hello).seq, 10);
    assert.equal(link.lastSeq, 11, 'the hello does not count: a later reattach resumes after the last event read');
  });

  it('reports malformed events and undecodable frames, and reads on', () => {
    const { link, seen, broken, malformed } = linkWith();
    const undecodable = Buffer.concat(encodeFrame(Buffer.from([0x82, 0xa4, ...Buffer.from('type'), 0xa6, 0x72]))); // cut short
    link.receive(Buffer.concat([hello(1), frame({ type: 'result', seq: 2, id: 3, pyType: 'int', repr: '1', value: 1 }), undecodable,
      frame({ type: 'telepathy', seq: 3, id: 3 }), frame({ type: 'status', seq: 4, id: 'x', state: 'idle' }), stream(5, 'after')]));
    assert.deepEqual(broken, []);
    assert.deepEqual(malformed.map((m) => m.problem), [
      'it lacks durationMs', 'it could not be decoded (Unexpected end of MessagePack data)', 'its type "telepathy" is not one this pydock knows',
      'its id is neither a number nor null',
    ]);
    assert.deepEqual(seen.map(({ event }) => event.type), ['hello', 'stream'], 'the stream goes on');
  });

  it('gets back in step when a frame header is not one: skips to a fresh marker, and reads what is sent again as live', () => {
    const { link, seen, broken, resyncs, inStep } = linkWith();
    link.process = fakeProcess();
    const bogus = Buffer.alloc(4);
    bogus.writeUInt32BE(900 << 20); // a length read where no header is
    link.receive(Buffer.concat([hello(1), stream(2, 'a'), bogus, stream(3, 'lost in the step')]));
    assert.deepEqual(resyncs.map((r) => r.lastSeq), [2], 'the agent is asked to resend after the last event read');
    const marker = resyncs[0].marker;
    link.receive(Buffer.concat([stream(4, 'before the marker'), marker.subarray(0, 7)]));
    link.receive(Buffer.concat([marker.subarray(7), hello(5), stream(3, 'b'), stream(4, 'c'), stream(6, 'd')]));
    assert.deepEqual(broken, []);
    assert.equal(inStep.length, 1);
    assert.deepEqual(seen.map(({ event, replayed }) => `${event.seq}:${replayed}`), ['1:false', '2:false', '3:false', '4:false', '6:false'],
      'every event once, none marked as a reattach\'s replay');
  });

  it('takes a stream that keeps going out of step for broken', () => {
    const { link, broken, resyncs } = linkWith();
    link.process = fakeProcess();
    link.receive(hello(1));
    for (let i = 0; i < 4; i++) {
      link.receive(Buffer.from('garbage!'));
      const marker = resyncs.at(-1)?.marker;
      if (marker && i < 3) link.receive(Buffer.concat([marker, hello(2)]));
    }
    assert.equal(resyncs.length, 3);
    assert.match(broken[0]?.message ?? '', /out of step/);
  });

  it('pings a quiet stream, asks the backend to look when the ping goes unanswered, and not while bytes come', async () => {
    const { link, seen } = linkWith(undefined, 100);
    const process = fakeProcess();
    let probes = 0;
    process.probe = async () => { probes++; };
    link.process = process;
    link.receive(hello(1));
    link.keepAlive();
    const pings = () => process.sent.filter((m) => m.type === 'ping').length;
    assert.ok(await waitUntil(() => pings() === 1, 2000), 'a ping after 100 ms of quiet');
    assert.equal(probes, 0);
    link.receive(frame({ type: 'pong', seq: 1, id: null }));
    assert.deepEqual(seen.map(({ event }) => event.type), ['hello'], 'the pong is the link\'s own');
    assert.ok(await waitUntil(() => pings() === 2, 2000), 'quiet again: another ping');
    assert.ok(await waitUntil(() => probes === 1, 2000), 'that one unanswered: the backend is asked');
    const chatty = setInterval(() => link.receive(stream(2, '.')), 20);
    const before = { pings: pings(), probes };
    await new Promise((resolve) => setTimeout(resolve, 400));
    clearInterval(chatty);
    assert.deepEqual({ pings: pings(), probes }, before, 'a stream that talks is neither pinged nor probed');
    link.close(false);
  });

  it('refuses a hello in another protocol version', async () => {
    const { link } = linkWith();
    link.receive(hello(1, '0'));
    await assert.rejects(link.hello, /speaks protocol 0; this pydock speaks 1/);
    assert.equal(link.greeted, false);
  });

  it('acks from a timer, not on the round trip, and at once past 8 MiB unacknowledged', async () => {
    const { link } = linkWith();
    const process = fakeProcess();
    link.process = process;
    link.receive(Buffer.concat([hello(1), stream(2, 'a'), stream(3, 'b')]));
    assert.deepEqual(process.sent, [], 'no ack is written while the events are being read');
    assert.ok(await waitUntil(() => process.sent.length > 0, 2000), 'an ack within 2 s of the events');
    assert.deepEqual(process.sent, [{ type: 'ack', seq: 3, graceMs: 60_000 }]);
    link.receive(stream(4, 'x'.repeat(9 << 20)));
    assert.deepEqual(process.sent.at(-1), { type: 'ack', seq: 4, graceMs: 60_000 }, 'a big event is acked without waiting');
    link.close(false);
  });

  it('writes a last ack on a detaching close, and nothing after', () => {
    const { link } = linkWith();
    const process = fakeProcess();
    link.process = process;
    link.receive(Buffer.concat([hello(1), stream(2, 'a')]));
    link.close(true);
    assert.deepEqual(process.sent, [{ type: 'ack', seq: 2, graceMs: 60_000 }]);
    link.receive(stream(3, 'late'));
    assert.equal(process.sent.length, 1);
  });
});
