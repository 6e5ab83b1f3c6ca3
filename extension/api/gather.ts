// gather(): waits on many calls at once, keeping their order and types.

/**
 * Resolves when every task has, with their results in order; rejects with the first failure.
 * Calls on different sessions run in parallel, calls on one session in order:
 * `const [a, b] = await gather(py().eval('1 + 1'), pool.map('str', [1, 2]))`.
 */
export function gather<T extends readonly unknown[] | []>(...tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  return Promise.all(tasks);
}
