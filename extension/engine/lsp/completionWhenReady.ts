// Asks the live server again while its completion list is empty and incomplete: its static analysis (jedi) is still reading.

/** How long between asks, and how long a request waits at most for jedi's first read of a module (seconds, cold). */
export const ASK_AGAIN_MS = 150;
export const PATIENCE_MS = 5000;

/**
 * The agent answers at once, and says "ask again" with an empty list marked incomplete when jedi is still reading
 * (its 0.25 s budget passed, or a call is in flight). An editor re-asks only on the next keystroke, so a user who
 * stopped typing would see nothing: this asks again until the list has items or is complete, the patience runs out
 * or the caller no longer wants it.
 */
export async function completionWhenReady<T>(ask: () => Promise<T>, cancelled: () => boolean, patienceMs = PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const answer = await ask();
    if (!stillReading(answer) || cancelled() || Date.now() + ASK_AGAIN_MS > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, ASK_AGAIN_MS));
    if (cancelled()) return answer;
  }
}

/** An empty list marked incomplete: the server's way of saying its static items are not read yet. */
export function stillReading(answer: unknown): boolean {
  const list = answer as { isIncomplete?: unknown; items?: unknown } | null | undefined;
  return list?.isIncomplete === true && Array.isArray(list.items) && list.items.length === 0;
}
