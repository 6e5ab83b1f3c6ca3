// The options of py() and pool(), and how they become an engine Session with its container settings.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENT_FILE } from '../engine/launch/environment';
import { folderEnvironment } from '../engine/launch/environmentFile';
import { withOverrides } from '../engine/launch/environmentOverrides';
import type { Backend, KubernetesPlacement, Mount, PullPolicy } from '../engine/launch/backend';
import { connectBackend, type BackendChoice } from '../engine/launch/backends';
import { parseByteSize } from '../../shared/byteSize';
import type { LaunchProgress } from '../engine/launch/launchProgress';
import { silentLogger, type Logger } from '../engine/log';
import { Session } from '../engine/session/session';

export interface PyOptions {
  /** Container image with python3 (3.8 or newer). Default: the environment file's, else `$PYDOCK_IMAGE`, else `python:3.12-slim`. */
  image?: string;
  /**
   * A folder mounted at /workspace (the working directory), whose `.pydock/environment.json` sets the image,
   * requirements, env, mounts, network and limits; these options win over it. Default: the current folder when it
   * has that file (as the CLI does), else none.
   */
  workspace?: string;
  /** `'auto'` (default: Docker when its daemon answers, else a local python3), `'docker'`, `'local'`, `'kubernetes'` (a pod per session in the KUBECONFIG cluster), or a Backend. */
  backend?: BackendChoice | Backend;
  /** A Docker host URL; default `DOCKER_HOST`, then the current docker context, as the docker CLI does. */
  dockerHost?: string;
  /** With backend 'kubernetes': the namespace, node selection, service account, pull secrets, extra resources (GPUs) and a workspace claim. */
  kubernetes?: KubernetesPlacement;
  /** Host folders to mount, e.g. `[{ source: './io', target: '/io' }]`. Relative sources resolve from the current directory. */
  mounts?: Mount[];
  /** Docker network: `'bridge'` (default), `'none'`, or a named network (Docker in Docker). */
  network?: string;
  /** Time limit in milliseconds for each eval or call; the code is interrupted when it runs over. Default 5 minutes, as in Haxall. */
  timeout?: number;
  /** Makes the session persistent: `py({ name })` gives the same session each time until it is closed. */
  name?: string;
  /** Environment variables for Python. */
  env?: Record<string, string>;
  /** Memory limit, e.g. `'2g'`, or bytes; `0` for none. Default `'4g'`. */
  memory?: string | number;
  /** When to pull the image from its registry: `'missing'` (default), `'always'` or `'never'`, as `docker run --pull`. */
  pull?: PullPolicy;
  /** What a start does before Python runs: image pulls (layers and bytes), builds, copies. Default: nothing is told. */
  onProgress?: (event: LaunchProgress) => void;
  /** Where the engine logs what it does. Default: nowhere. */
  log?: Logger;
}

export { DEFAULT_IMAGE } from '../engine/launch/environment';
/** Haxall's py() default: a runaway eval is interrupted after 5 minutes. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** The `pydock.workspace` label of API sessions, which have no workspace folder. */
const API_LABEL = 'pydock-api';

const backends = new Map<string, Promise<Backend>>();

/** One connection per backend choice and host, shared by all sessions: the first connect pings and removes leftovers. */
function backendFor(options: PyOptions): () => Promise<Backend> {
  const choice = options.backend ?? 'auto';
  if (typeof choice === 'object') return async () => choice;
  const key = `${choice} ${options.dockerHost ?? ''}`;
  return () => {
    let backend = backends.get(key);
    if (!backend) {
      backend = connectBackend({ choice, dockerHost: options.dockerHost, log: options.log ?? silentLogger });
      backends.set(key, backend);
      backend.catch(() => backends.delete(key)); // a daemon started later is found on the next try
    }
    return backend;
  };
}

/** A label no other session has, e.g. `py-3f9a2c1b`. */
export function uniqueLabel(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The folder whose environment applies: the one named, else the current folder when it has an environment file. */
function workspaceOf(options: PyOptions): string | undefined {
  if (options.workspace !== undefined) return path.resolve(options.workspace);
  return fs.existsSync(path.join(process.cwd(), ENVIRONMENT_FILE)) ? process.cwd() : undefined;
}

export function createEngineSession(options: PyOptions, label: string): Session {
  const memory = options.memory;
  const environment = withOverrides(folderEnvironment(workspaceOf(options)).launch, {
    image: options.image,
    memoryBytes: memory === undefined ? undefined : typeof memory === 'number' ? memory : parseByteSize(memory),
  });
  return new Session({
    name: label,
    log: options.log,
    backend: backendFor(options),
    launch: {
      ...environment,
      env: { ...environment.env, ...options.env },
      network: options.network ?? environment.network,
      mounts: [...environment.mounts ?? [], ...options.mounts?.map((m) => ({ ...m, source: path.resolve(m.source) })) ?? []],
      ...(options.pull ? { pull: options.pull } : {}),
      ...(options.kubernetes ? { kubernetes: options.kubernetes } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      workspaceLabel: API_LABEL,
      sessionLabel: label,
    },
  });
}
