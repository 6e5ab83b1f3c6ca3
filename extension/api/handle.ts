// A handle to a Python object kept in a session: read attributes, call methods, fetch the value, release it.
import { ObjectRef, type Value } from '../../shared/values';
import { releasedError } from './errors';
import type { CallOptions, PySession, RunBody } from './pySession';

/**
 * A Python object that stays in its session. Pass it as an argument to calls and Python receives the object.
 * It is released by release(), when it is garbage-collected, or when its session ends; using it after that throws
 * a PydockError with code 'released'.
 */
export class Handle extends ObjectRef {
  private isReleased = false;

  /** @param origin the ObjectRef as it arrived: the session frees the object once that is garbage. */
  constructor(readonly session: PySession, private readonly origin: ObjectRef) {
    super(origin.ref, origin.type, origin.repr);
  }

  get released(): boolean {
    return this.isReleased || !this.session.engine.owns(this.origin);
  }

  /** The attribute's value, e.g. `await frame.get('shape')`. */
  get(attr: string, options?: CallOptions): Promise<Value> {
    return this.send({ type: 'ref.get', ref: this.ref, attr }, options);
  }

  /** A handle on the attribute, which stays in Python. */
  async getRef(attr: string, options?: CallOptions): Promise<Handle> {
    return this.session.handle(await this.send({ type: 'ref.get', ref: this.ref, attr, asRef: true }, options));
  }

  /** Calls a method and resolves with its result, e.g. `await frame.call('head', [3])`. */
  call(method: string, args: Value[] = [], kwargs: Record<string, Value> = {}, options?: CallOptions): Promise<Value> {
    return this.send({ type: 'ref.call', ref: this.ref, method, args, kwargs }, options);
  }

  /** Calls a method and keeps its result in Python: a handle to it. */
  async callRef(method: string, args: Value[] = [], kwargs: Record<string, Value> = {}, options?: CallOptions): Promise<Handle> {
    return this.session.handle(await this.send({ type: 'ref.call', ref: this.ref, method, args, kwargs, asRef: true }, options));
  }

  /** The object itself, marshalled (a DataFrame arrives as a Grid). */
  value(options?: CallOptions): Promise<Value> {
    return this.send({ type: 'ref.value', ref: this.ref }, options);
  }

  /** Frees the object in Python now. Releasing twice does nothing. */
  async release(): Promise<void> {
    if (this.isReleased) return;
    this.isReleased = true;
    await this.session.engine.release([this.origin]);
  }

  /** Throws the 'released' error when the handle can no longer be used. */
  assertUsable(): void {
    if (this.isReleased) throw releasedError(this.ref);
    if (!this.session.engine.owns(this.origin)) throw releasedError(this.ref, ' when its session ended or restarted');
  }

  private async send(body: RunBody, options?: CallOptions): Promise<Value> {
    this.assertUsable();
    return this.session.request(body, options);
  }
}
