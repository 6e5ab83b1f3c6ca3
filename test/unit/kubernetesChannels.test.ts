// The attach channel protocol (v5 with v4 fallback): split, merged and garbage messages, stdin, close and status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNEL_PROTOCOLS, closeStdinMessage, readChannelMessage, statusExitCode, stdinMessage } from '../../extension/engine/kubernetes/channels';
import { decode, encode } from '../../extension/engine/wire/codec';
import { FrameDecoder, encodeFrame } from '../../extension/engine/wire/framing';

const [V5, V4] = CHANNEL_PROTOCOLS;
const onChannel = (channel: number, data: Buffer) => Buffer.concat([Buffer.of(channel), data]);

/** What the session would decode from a list of attach messages: stdout's bytes through the frame decoder. */
function messagesOf(wsMessages: Buffer[], protocol: string): unknown[] {
  const decoder = new FrameDecoder();
  const out: unknown[] = [];
  for (const message of wsMessages) {
    const read = readChannelMessage(message, protocol);
    if (read.kind === 'stdout') for (const payload of decoder.push(read.data)) out.push(decode(payload));
  }
  return out;
}

describe('attach channels', () => {
  const frames = [{ type: 'hello', id: 1 }, { type: 'result', id: 2, value: 'x'.repeat(5000) }].map((m) => Buffer.concat(encodeFrame(encode(m))));
  const stream = Buffer.concat(frames);

  it('reassembles agent frames split across messages at every byte', () => {
    for (let cut = 1; cut < stream.length; cut += 97) {
      const messages = [onChannel(1, stream.subarray(0, cut)), onChannel(1, Buffer.alloc(0)), onChannel(1, stream.subarray(cut))];
      assert.deepEqual(messagesOf(messages, V5), [{ type: 'hello', id: 1 }, { type: 'result', id: 2, value: 'x'.repeat(5000) }], `cut at ${cut}`);
    }
  });

  it('reads frames merged into one message, under v4 as under v5', () => {
    for (const protocol of [V4, V5]) assert.equal(messagesOf([onChannel(1, stream)], protocol).length, 2);
  });

  it('keeps stderr apart from the protocol', () => {
    assert.deepEqual(readChannelMessage(onChannel(2, Buffer.from('warn\n')), V4), { kind: 'stderr', data: Buffer.from('warn\n') });
  });

  it('names garbage without throwing: no channel byte, text, an unknown channel, a status that is not JSON, v5 close under v4', () => {
    const cases: [Buffer | string, RegExp][] = [
      [Buffer.alloc(0), /empty message/],
      ['\u0001hello', /text message/],
      [onChannel(9, Buffer.from('x')), /channel 9/],
      [onChannel(3, Buffer.from('{not json')), /status that is not JSON/],
      [Buffer.of(255, 0), /close message under v4/],
    ];
    for (const [message, why] of cases) {
      const read = readChannelMessage(message, V4);
      assert.equal(read.kind, 'garbage');
      if (read.kind === 'garbage') assert.match(read.why, why);
    }
    assert.deepEqual(readChannelMessage(Buffer.of(255, 1), V5), { kind: 'closed', stream: 1 });
  });

  it('sends stdin on channel 0 in one message, and closes stdin alone under v5 only', () => {
    assert.deepEqual(stdinMessage([Buffer.from('ab'), Buffer.from('c')]), Buffer.from('\u0000abc'));
    assert.deepEqual(closeStdinMessage(V5), Buffer.of(255, 0));
    assert.equal(closeStdinMessage(V4), undefined, 'v4 has no close: the socket closes instead');
  });

  it('reads the exit code from the status channel', () => {
    const status = (json: object) => { const r = readChannelMessage(onChannel(3, Buffer.from(JSON.stringify(json))), V5); assert.equal(r.kind, 'status'); return r.kind === 'status' ? r.status : {}; };
    assert.equal(statusExitCode(status({ status: 'Success' })), 0);
    assert.equal(statusExitCode(status({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })), 3);
    assert.equal(statusExitCode(status({ status: 'Failure', message: 'container not found' })), null);
  });
});
