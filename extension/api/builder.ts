// py()'s builder: buffers defines and execs and sends them with the eval as one request, as Haxall's py() does.
import type { Step } from '../../shared/agentProtocol';
import type { Value } from '../../shared/values';
import type { CallOptions, InitFn, PySession } from './pySession';
import type { Trace } from './trace';

/** The session an eval runs on, and what to do after it: close a one-off session, keep a persistent one. */
export interface SessionLease {
  session: PySession;
  release(): Promise<void>;
}

/**
 * Configures one evaluation, e.g.
 * `await py().timeout(10_000).define('a', 100).define('b', 2).exec('def mult(x, y): return x * y').eval('mult(a, b)')`.
 * The steps are sent when eval() is called, and cleared by it.
 */
export class PyBuilder {
  private steps: Step[] = [];
  private timeoutMs: number | undefined;
  private initFn: InitFn | undefined;

  constructor(private readonly lease: () => Promise<SessionLease>) {}

  /** Time limit for the eval, in milliseconds: the code is interrupted when it runs over. */
  timeout(ms: number): this {
    this.timeoutMs = ms;
    return this;
  }

  /** Binds a name in Python to a value (see the marshalling table in the README). */
  define(name: string, value: Value): this {
    this.steps.push({ type: 'define', name, value: value ?? null }); // undefined would drop the field
    return this;
  }

  /** Runs statements before the eval. */
  exec(code: string): this {
    this.steps.push({ type: 'exec', code });
    return this;
  }

  /**
   * Prepares the session: runs before the first eval on it, and once only on a persistent session (again only when
   * a crash gave it a new Python process).
   */
  init(fn: InitFn): this {
    this.initFn = fn;
    return this;
  }

  /** Sends the defines, execs and this expression in one request and resolves with the expression's value. */
  async eval(expr: string, options: CallOptions = {}): Promise<Value> {
    return (await this.evalWithTrace(expr, options)).value;
  }

  /** eval(), with the timings of its one request. */
  async evalWithTrace(expr: string, options: CallOptions = {}): Promise<{ value: Value; trace: Trace }> {
    const steps: Step[] = [...this.steps, { type: 'eval', expr }];
    this.steps = [];
    const { session, release } = await this.lease();
    try {
      if (this.initFn) session.setInit(this.initFn);
      let trace: Trace | undefined;
      const value = await session.batch(steps, {
        ...options,
        timeout: options.timeout ?? this.timeoutMs,
        onTrace: (t) => {
          trace = t;
          options.onTrace?.(t);
        },
      });
      return { value, trace: trace! };
    } finally {
      await release();
    }
  }
}
