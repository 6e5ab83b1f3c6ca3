// The stand-in's JSON patch (RFC 6902) of an object: test, add, replace and remove, as the API server applies it, all or nothing.
import assert from 'node:assert/strict';

export interface PatchOperation {
  op: 'test' | 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** The patched copy of `target`, or an Error saying which operation failed (the API server's 422). */
export function applyJsonPatch<T extends object>(target: T, operations: PatchOperation[]): T | Error {
  const copy = structuredClone(target) as Record<string, unknown>;
  for (const operation of operations) {
    const keys = operation.path.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: Record<string, unknown> = copy;
    for (const key of keys) {
      if (typeof parent[key] !== 'object' || parent[key] === null) return new Error(`${operation.op} ${operation.path}: no such path`);
      parent = parent[key] as Record<string, unknown>;
    }
    if (operation.op === 'test') {
      try {
        assert.deepEqual(parent[last], operation.value);
      } catch {
        return new Error(`test ${operation.path}: the value is ${JSON.stringify(parent[last])}, not ${JSON.stringify(operation.value)}`);
      }
    } else if (operation.op === 'remove') delete parent[last];
    else if (operation.op === 'replace' && !(last in parent)) return new Error(`replace ${operation.path}: no such path`);
    else parent[last] = operation.value;
  }
  return copy as T;
}
