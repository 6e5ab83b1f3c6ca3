// Sends a session many runs at once and checks that each gets its own answer, in order, with every printed line once.
// Used by the concurrent-sessions integration test and by the bench's concurrent_sessions figure.
import type { Session } from '../../extension/engine/session/session';

/** Resolves when all `count` runs answered correctly and in order; rejects naming the first thing that went wrong. */
export async function runInOrder(session: Session, count: number): Promise<void> {
  const answered: number[] = [];
  let printed = '';
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    const outcome = await session.exec(`print(${i})\n${i} * 2`, { mode: 'repl', onStream: (_name, text) => (printed += text) });
    if (!outcome.ok) throw new Error(`run ${i} failed: ${outcome.error.text}`);
    if (outcome.value !== i * 2) throw new Error(`run ${i} got ${JSON.stringify(outcome.value)}, another run's answer`);
    answered.push(i);
  }));
  const expected = Array.from({ length: count }, (_, i) => i);
  if (answered.join() !== expected.join()) throw new Error(`answers arrived out of order: ${answered.join(' ')}`);
  const lines = expected.map((i) => `${i}\n`).join('');
  if (printed !== lines) throw new Error(`printed lines lost or out of order: ${JSON.stringify(printed.slice(0, 200))}`);
}
