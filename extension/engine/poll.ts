// Waiting with a bound: for a condition no event announces (checked every 10 ms), or for a promise with a deadline.

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

/** The promise's value, or a rejection "no answer within N s" once ms have passed. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    })]);
  } finally {
    clearTimeout(timer);
  }
}
