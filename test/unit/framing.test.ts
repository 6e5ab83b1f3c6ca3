// Frame splitting and Docker stream demultiplexing: split, merged, oversized and garbage input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerDemuxer, FrameDecoder, FrameError, encodeFrame } from '../../extension/engine/framing';

const frame = (text: string) => Buffer.concat(encodeFrame(Buffer.from(text)));
const collect = (decoder: FrameDecoder, chunks: Buffer[]) => chunks.flatMap((c) => [...decoder.push(c)].map((f) => f.toString()));

describe('FrameDecoder', () => {
  it('reads frames merged into one chunk', () => {
    const decoder = new FrameDecoder();
    assert.deepEqual(collect(decoder, [Buffer.concat([frame('a'), frame('bc'), frame('')])]), ['a', 'bc', '']);
  });

  it('reads frames split at every byte, including inside the header', () => {
    const bytes = Buffer.concat([frame('hello'), frame('world!')]);
    const decoder = new FrameDecoder();
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    assert.deepEqual(collect(decoder, chunks), ['hello', 'world!']);
    assert.equal(decoder.pending, 0);
  });

  it('keeps a partial frame until the rest arrives', () => {
    const decoder = new FrameDecoder();
    const bytes = frame('x'.repeat(100_000));
    assert.deepEqual(collect(decoder, [bytes.subarray(0, 50_000)]), []);
    assert.equal(decoder.pending, 50_000);
    assert.deepEqual(collect(decoder, [bytes.subarray(50_000)]).map((s) => s.length), [100_000]);
  });

  it('rejects an oversized frame header instead of waiting for gigabytes', () => {
    const decoder = new FrameDecoder(1024);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025);
    assert.throws(() => collect(decoder, [header]), FrameError);
  });

  it('treats garbage as an oversized frame: ASCII text reads as a huge size', () => {
    assert.throws(() => collect(new FrameDecoder(), [Buffer.from('Traceback (most recent call last)')]), /over the .*limit/);
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
    const decoder = new FrameDecoder();
    const got: string[] = [];
    for (let i = 0; i < bytes.length; i += 65_537) got.push(...collect(decoder, [bytes.subarray(i, i + 65_537)]));
    assert.deepEqual(got.map((s) => s.length), [6, 3 << 20, 5]);
    assert.equal(got[1], big);
    assert.equal(got[2], 'after');
    assert.equal(decoder.pending, 0);
  });
});
