// Frame splitting and Docker stream demultiplexing: split, merged, oversized and garbage input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode } from '../../extension/engine/wire/codec';
import { DockerDemuxer, FrameDecoder, FrameError, encodeFrame } from '../../extension/engine/wire/framing';

const frame = (text: string) => Buffer.concat(encodeFrame(Buffer.from(text)));
const collect = (decoder: FrameDecoder, chunks: Buffer[]) => chunks.flatMap((c) => [...decoder.push(c)].map((f) => f.toString()));

describe('FrameDecoder', () => {
  it('reads frames merged into one chunk', () => {
    const decoder = new FrameDecoder({ messages: false });
    assert.deepEqual(collect(decoder, [Buffer.concat([frame('a'), frame('bc'), frame('')])]), ['a', 'bc', '']);
  });

  it('reads frames split at every byte, including inside the header', () => {
    const bytes = Buffer.concat([frame('hello'), frame('world!')]);
    const decoder = new FrameDecoder({ messages: false });
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    assert.deepEqual(collect(decoder, chunks), ['hello', 'world!']);
    assert.equal(decoder.pending, 0);
  });

  it('keeps a partial frame until the rest arrives', () => {
    const decoder = new FrameDecoder({ messages: false });
    const bytes = frame('x'.repeat(100_000));
    assert.deepEqual(collect(decoder, [bytes.subarray(0, 50_000)]), []);
    assert.equal(decoder.pending, 50_000);
    assert.deepEqual(collect(decoder, [bytes.subarray(50_000)]).map((s) => s.length), [100_000]);
  });

  it('rejects an oversized frame header instead of waiting for gigabytes', () => {
    const decoder = new FrameDecoder({ maxFrame: 1024, messages: false });
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025);
    assert.throws(() => collect(decoder, [header]), FrameError);
  });

  it('treats garbage as an oversized frame: ASCII text reads as a huge size', () => {
    assert.throws(() => collect(new FrameDecoder({ messages: false }), [Buffer.from('Traceback (most recent call last)')]), /over the .*limit/);
  });
});

describe('FrameDecoder of protocol messages', () => {
  const message = (object: object) => Buffer.concat(encodeFrame(encode(object)));

  it('reads messages split at every byte, whatever the size of their map header', () => {
    const wide = Object.fromEntries([['type', 'stream'], ...Array.from({ length: 20 }, (_, i) => [`k${i}`, i])]);
    const bytes = Buffer.concat([message({ type: 'status', seq: 1 }), message(wide)]);
    const decoder = new FrameDecoder();
    const got = [...bytes].flatMap((b) => [...decoder.push(Buffer.from([b]))]).map((f) => (decode(f) as { type: string }).type);
    assert.deepEqual(got, ['status', 'stream']);
  });

  it('finds a stream out of step at its first bad header, before allocating or waiting for what it announces', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(900 << 20);
    const decoder = new FrameDecoder();
    assert.throws(() => collect(decoder, [Buffer.concat([header, Buffer.from('garbage')])]), /943718400 bytes does not start as a message: the stream is out of step/);
    assert.ok(decoder.pending < 100, 'nothing was allocated for the announced size');
  });

  it('refuses a message map whose first key is not "type"', () => {
    assert.throws(() => collect(new FrameDecoder(), [message({ seq: 1, type: 'status' })]), /out of step/);
  });
});

describe('DockerDemuxer', () => {
  const docker = (stream: number, text: string) => {
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([header, Buffer.from(text)]);
  };

  it('splits stdout and stderr, across chunk boundaries', () => {
    const bytes = Buffer.concat([docker(1, 'out1'), docker(2, 'err'), docker(1, 'out2')]);
    const demuxer = new DockerDemuxer();
    const got = [bytes.subarray(0, 5), bytes.subarray(5, 13), bytes.subarray(13)]
      .flatMap((c) => [...demuxer.push(c)].map(([name, data]) => `${name}:${data}`));
    assert.deepEqual(got, ['stdout:out1', 'stderr:err', 'stdout:out2']);
  });

  it('refuses a stream that is not multiplexed', () => {
    assert.throws(() => [...new DockerDemuxer().push(Buffer.from('plain text, not a header'))], /expected stdout/);
  });
});

describe('FrameDecoder with large frames', () => {
  it('fills a large frame as it arrives and reads the frames after it', () => {
    const big = 'b'.repeat(3 << 20);
    const bytes = Buffer.concat([frame('before'), frame(big), frame('after')]);
    const decoder = new FrameDecoder({ messages: false });
    const got: string[] = [];
    for (let i = 0; i < bytes.length; i += 65_537) got.push(...collect(decoder, [bytes.subarray(i, i + 65_537)]));
    assert.deepEqual(got.map((s) => s.length), [6, 3 << 20, 5]);
    assert.equal(got[1], big);
    assert.equal(got[2], 'after');
    assert.equal(decoder.pending, 0);
  });
});
