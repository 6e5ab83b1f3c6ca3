// The library API as one object: py(), named sessions, pools and the interactive session, over shared defaults.
import { PydockError } from '../engine/errors';
import type { Session } from '../engine/session/session';
import { PyBuilder } from './builder';
import { gather } from './gather';
import { createEngineSession, uniqueLabel, type PyOptions } from './options';
import { Pool, type PoolOptions } from './pool';
import { JobManagers, type JobOptions, type JobRunner } from './jobs';
import { PySession } from './pySession';

export interface PyApi {
  /**
   * A session builder. Plain `py()` runs each eval in a fresh container and removes it after; `py({ name })` runs
   * on the persistent session of that name, created on first use and kept until closed.
   */
  py(options?: PyOptions): PyBuilder;
  /** The persistent session of this name, created on first use (its options apply then) and kept until closed. */
  session(options: PyOptions & { name: string }): PySession;
  /** Starts `size` supervised sessions for map(). */
  pool(options: PoolOptions): Pool;
  gather: typeof gather;
  /** Runs a workspace file or module:function detached in a fresh container of the workspace's environment: `job({ workspace }).run('train.py', ['--epochs', '3'])`. */
  job(options?: JobOptions): JobRunner;
  /** The workspace's interactive session, when the API came from the VS Code extension. */
  interactive(): PySession;
  /** Closes every persistent session and pool this API made, and stops watching its jobs (they run on); call it before the process should exit. */
  closeAll(): Promise<void>;
}

export interface ApiConfig {
  /** Options every session starts from (each call's options override them), e.g. the extension's settings. */
  defaults?: PyOptions;
  /** The workspace's interactive session; the VS Code extension passes its own. */
  interactive?: () => Session;
}

/** Makes an API. The library exports one made without config; the extension's activate() can make its own. */
export function createApi(config: ApiConfig = {}): PyApi {
  const named = new Map<string, PySession>();
  const pools = new Set<Pool>();
  const interactive = new WeakMap<Session, PySession>();
  const withDefaults = <T extends PyOptions>(options: T): T => ({ ...config.defaults, ...options });
  const jobs = new JobManagers();

  const session = (options: PyOptions & { name: string }): PySession => {
    let existing = named.get(options.name);
    if (!existing) {
      const merged = withDefaults(options);
      existing = new PySession(createEngineSession(merged, merged.name), merged.name,
        { timeout: merged.timeout, owned: true, onClose: () => named.delete(merged.name) });
      named.set(merged.name, existing);
    }
    return existing;
  };

  return {
    py(options = {}) {
      if (options.name !== undefined) return session({ ...options, name: options.name }).py();
      const merged = withDefaults(options);
      return new PyBuilder(async () => {
        const label = uniqueLabel('py');
        const oneOff = new PySession(createEngineSession(merged, label), label, { timeout: merged.timeout, owned: true });
        return { session: oneOff, release: () => oneOff.close() };
      });
    },
    session,
    pool(options) {
      const pool = new Pool(withDefaults(options));
      pools.add(pool);
      return pool;
    },
    gather,
    job(options = {}) {
      const { backend, ...defaults } = config.defaults ?? {};
      return jobs.runner({ ...defaults, ...(typeof backend === 'object' || backend === 'kubernetes' ? { backend } : {}), ...options });
    },
    interactive() {
      if (!config.interactive) {
        throw new PydockError('usage', 'There is no interactive session outside VS Code.', 'Use py({ name }) for a persistent session.');
      }
      const engine = config.interactive();
      let wrapped = interactive.get(engine);
      if (!wrapped) {
        wrapped = new PySession(engine, engine.name, { timeout: config.defaults?.timeout, owned: false });
        interactive.set(engine, wrapped);
      }
      return wrapped;
    },
    async closeAll() {
      const all = [...named.values(), ...pools];
      pools.clear();
      jobs.dispose();
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
