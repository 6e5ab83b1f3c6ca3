// Waits for a condition that no event announces (a run leaving the agent's queue), checking it every 10 ms.

/** True once the condition holds, false if it still does not after timeoutMs. */
export function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  if (condition()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const started = Date.now();
    const check = setInterval(() => {
      if (condition()) { clearInterval(check); resolve(true); }
      else if (Date.now() - started >= timeoutMs) { clearInterval(check); resolve(false); }
    }, 10);
  });
}
