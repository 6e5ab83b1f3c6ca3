// The errors the library API adds to the engine's: Python raised, a handle was released, a pool item failed.
import { PydockError } from '../engine/errors';
import type { PythonErrorInfo } from '../../shared/agentProtocol';
import type { Value } from '../../shared/values';
import type { Trace } from './trace';

/** Python raised. `info` has the exception type, message, the user's frames and the traceback as Python prints it. */
export class PythonError extends PydockError {
  constructor(readonly info: PythonErrorInfo, readonly trace?: Trace) {
    super('python', `${info.type}: ${info.message}`, '', info.text);
    this.name = 'PythonError';
  }

  /** The exception class name, e.g. ZeroDivisionError; Unmarshallable for a result that cannot cross. */
  get type(): string {
    return this.info.type;
  }
}

export function releasedError(ref: number, why = ''): PydockError {
  return new PydockError('released', `object handle ${ref} was released${why}`,
    'Keep the handle (do not release it) while you use it; after a session restarts, make the object again.');
}

/**
 * The 'released' error for a call or ref request whose handle the agent no longer keeps: released by another copy of
 * the handle, or evicted because the objects kept for handles grew over its budget (its message says so). Python code
 * that names a released handle (exec, eval) raises a PythonError instead, as any Python error.
 */
export function releasedByAgent(body: { type: string }, error: PythonErrorInfo): PydockError | undefined {
  if (error.type !== 'HandleError' || !/^object handle \d+ was released/.test(error.message)) return undefined;
  if (body.type !== 'call' && !body.type.startsWith('ref.')) return undefined;
  return new PydockError('released', error.message,
    'Release handles you no longer need, and keep what you still use in a Python variable as well; then make the object again.');
}

/** An item of pool.map failed: Python raised for it, or it was in flight on a worker that crashed twice. */
export class PoolItemError extends PydockError {
  constructor(readonly index: number, readonly item: Value, override readonly cause: Error) {
    super(cause instanceof PydockError ? cause.code : 'exited', `pool.map item ${index} failed: ${cause.message}`,
      cause instanceof PydockError ? cause.hint : '', cause instanceof PydockError ? cause.detail : '');
    this.name = 'PoolItemError';
  }
}
