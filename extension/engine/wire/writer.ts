// Writes request frames to an agent's stdin, coalescing all frames of one turn of the event loop into one write.
import type { Writable } from 'node:stream';

/**
 * A write function for frames. Frames written in the same tick (a pool pipelining items, a batch of releases)
 * leave in one writev instead of one system call each; the flush runs before any I/O, so nothing waits longer.
 */
export function coalescingWriter(stream: Writable): (chunks: Buffer[]) => void {
  let corked = false;
  return (chunks) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork();
      });
    }
    for (const chunk of chunks) stream.write(chunk);
  };
}
