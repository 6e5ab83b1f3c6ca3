// The agent's memory over many requests, in a real container: the heap malloc holds stays flat, so a session open for
// days does not creep upwards.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Session } from '../../extension/engine/session/session';
import { BARE_IMAGE, newSession, requireImages } from './helpers';

/** Bytes glibc's malloc holds from the system in all arenas (mallinfo2, glibc 2.33+), read inside the agent. */
const HEAP_BYTES = `import ctypes as _ct
class _MallInfo2(_ct.Structure):
    _fields_ = [(n, _ct.c_size_t) for n in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
_libc = _ct.CDLL("libc.so.6")
_libc.mallinfo2.restype = _MallInfo2
_libc.mallinfo2().arena`;

async function heapBytes(session: Session): Promise<number> {
  const outcome = await session.exec(HEAP_BYTES);
  if (!outcome.ok) assert.fail(outcome.error.text);
  return outcome.value as number;
}

before(requireImages);

it('holds no more heap after 20,000 small requests than before them', async () => {
  const session = newSession({ name: 'docker (bare python3)', backend: 'docker', image: BARE_IMAGE });
  for (let i = 0; i < 2_000; i++) await session.eval(`${i} + 1`); // the arenas settle
  const start = await heapBytes(session);
  for (let i = 0; i < 20_000; i++) await session.eval(`${i} + 1`);
  const grown = (await heapBytes(session)) - start;
  assert.ok(grown < 256 << 10, `20,000 requests left ${grown >> 10} KiB more heap behind`);
});
