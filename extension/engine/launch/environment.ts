// A workspace's environment: settings and .pydock/environment.json, validated and resolved into what a launch needs.
import * as path from 'node:path';
import schemaJson from '../../../schemas/environment.schema.json';
import type { ImageBuild, KubernetesPlacement, LaunchSpec, Mount } from './backend';
import { AGENT_DIR_IN_CONTAINER } from './agentBundle';
import { parseByteSize } from '../../../shared/byteSize';
import { DEFAULT_PIDS_LIMIT, IO_IN_CONTAINER, WORKSPACE_IN_CONTAINER } from './containerDefaults';
import { PydockError } from '../errors';
import { judgeMountSource, normalize } from './mountPolicy';
import { formatSchemaError, validate, type JsonSchema } from './schemaValidator';

export const ENVIRONMENT_SCHEMA = schemaJson as JsonSchema;
export const ENVIRONMENT_FILE = '.pydock/environment.json';
export const DEFAULT_IMAGE = 'python:3.12-slim';
const DEFAULT_MEMORY = '4g';
/** Where a session's own things live in the container: nothing may be mounted over them. */
const RESERVED_TARGETS = ['/', WORKSPACE_IN_CONTAINER, IO_IN_CONTAINER, AGENT_DIR_IN_CONTAINER, '/tmp'];

/** The fields of .pydock/environment.json; settings use the same names. See schemas/environment.schema.json. */
export interface EnvironmentDescription {
  backend?: 'auto' | 'docker' | 'local' | 'kubernetes';
  kubernetes?: KubernetesPlacement;
  image?: string;
  dockerfile?: string;
  context?: string;
  python?: string;
  requirements?: string | string[];
  pipArgs?: string[];
  env?: Record<string, string>;
  mounts?: Mount[];
  workspaceReadOnly?: boolean;
  io?: string;
  network?: string;
  cpus?: number;
  memory?: string | number;
  pids?: number;
  user?: string;
  readOnlyRoot?: boolean;
  workspaceCopy?: boolean;
  autoRestart?: boolean;
  idleStopMinutes?: number;
  init?: string | string[];
}

/** The user running pydock on the host; uid and gid are absent on Windows. */
export interface HostUser {
  uid?: number;
  gid?: number;
}

export interface EnvironmentInputs {
  /** Values of the pydock.* settings, under the field names above. */
  settings: EnvironmentDescription;
  /** The parsed contents of .pydock/environment.json; undefined when there is none. */
  file?: unknown;
  /** The workspace folder on the host; relative paths resolve from it. */
  workspace?: string;
  host: HostUser;
  /** Container engine sockets known besides the usual ones (the Docker host pydock talks to). */
  sockets?: string[];
}

/** What the lifecycle (restart, idle stop) needs; carried through, not used here. */
export interface LifecycleOptions {
  autoRestart: boolean;
  idleStopMinutes: number;
  /** Python code run at start and after an automatic restart. */
  init?: string;
}

export type EnvironmentLaunch = Omit<LaunchSpec, 'agent' | 'workspaceLabel' | 'sessionLabel' | 'onProgress'>;

export interface ResolvedEnvironment {
  launch: EnvironmentLaunch;
  /** The backend the file names, which wins over the pydock.backend setting; absent when it names none. */
  backend?: NonNullable<EnvironmentDescription['backend']>;
  lifecycle: LifecycleOptions;
  /** Allowed but worth saying, e.g. a Docker socket mount. */
  warnings: string[];
}

/** Validates both sources against the schema and the rules it cannot express, and merges them: the file wins. */
export function resolveEnvironment(inputs: EnvironmentInputs): ResolvedEnvironment {
  const problems = [
    ...validate(ENVIRONMENT_SCHEMA, inputs.settings).map((e) => `settings: ${formatSchemaError(e)}`),
    ...(inputs.file === undefined ? [] : validate(ENVIRONMENT_SCHEMA, inputs.file).map((e) => `${ENVIRONMENT_FILE}: ${formatSchemaError(e)}`)),
  ];
  if (problems.length) throw invalid(problems);
  const file = (inputs.file ?? {}) as EnvironmentDescription;
  const merged = merge(inputs.settings, file);
  const errors: string[] = [];
  const warnings: string[] = [];
  const fail = (field: string, message: string, origin = originOf(field, file)) => errors.push(`${origin}: ${field}: ${message}`);
  const inWorkspace = (field: keyof EnvironmentDescription, relative: string | undefined): string | undefined => {
    if (relative === undefined) return undefined;
    if (!inputs.workspace) {
      fail(field, 'needs a workspace folder to be relative to');
      return undefined;
    }
    const absolute = path.resolve(inputs.workspace, relative);
    const rel = path.relative(inputs.workspace, absolute);
    if (rel.startsWith('..') || path.isAbsolute(rel)) fail(field, `${relative} is outside the workspace`);
    return absolute;
  };

  const io = inWorkspace('io', merged.io);
  const mounts = [...origins('settings', inputs.settings.mounts), ...origins(ENVIRONMENT_FILE, file.mounts)].map(({ origin, field, mount }) => {
    const source = path.isAbsolute(mount.source) || !inputs.workspace ? mount.source : path.resolve(inputs.workspace, mount.source);
    const verdict = judgeMountSource(source, inputs.sockets);
    if (!verdict.ok) fail(`${field}.source`, verdict.reason, origin);
    else if (verdict.warning) warnings.push(`${origin}: ${field}: ${verdict.warning}`);
    const target = normalize(mount.target);
    if (RESERVED_TARGETS.includes(target)) fail(`${field}.target`, `${target} is pydock's own; choose another folder`, origin);
    return { source, target, readOnly: mount.readOnly ?? false };
  });
  const dockerfile = inWorkspace('dockerfile', merged.dockerfile);
  const context = inWorkspace('context', merged.context) ?? (dockerfile && path.dirname(dockerfile));
  const requirementsFile = typeof merged.requirements === 'string' ? inWorkspace('requirements', merged.requirements) : undefined;
  if (Array.isArray(merged.requirements) && !inputs.workspace) fail('requirements', 'needs a workspace folder to build in');
  if (errors.length) throw invalid(errors);
  const build: ImageBuild | undefined = (dockerfile || merged.requirements?.length) && inputs.workspace ? {
    workspace: inputs.workspace,
    ...(dockerfile && context ? { dockerfile: { file: dockerfile, context } } : {}),
    ...(requirementsFile ? { requirements: { file: requirementsFile } } : {}),
    ...(Array.isArray(merged.requirements) && merged.requirements.length ? { requirements: { lines: merged.requirements } } : {}),
    pipArgs: merged.pipArgs ?? [],
  } : undefined;

  const user = resolveUser(merged.user ?? 'host', inputs.host);
  const memory = merged.memory ?? DEFAULT_MEMORY;
  const memoryBytes = typeof memory === 'number' ? memory : parseByteSize(memory);
  return {
    launch: {
      image: merged.image ?? (merged.python ? `python:${merged.python}-slim` : DEFAULT_IMAGE),
      ...(inputs.workspace ? { workspace: inputs.workspace } : {}),
      workspaceReadOnly: merged.workspaceReadOnly ?? false,
      env: { ...defaultEnv(user, merged), ...merged.env },
      ...(memoryBytes ? { memoryBytes } : {}),
      pidsLimit: merged.pids ?? DEFAULT_PIDS_LIMIT,
      ...(merged.cpus ? { cpus: merged.cpus } : {}),
      network: merged.network ?? 'bridge',
      mounts,
      ...(io ? { io } : {}),
      ...(user.docker ? { user: user.docker } : {}),
      readOnlyRoot: merged.readOnlyRoot ?? false,
      workspaceCopy: merged.workspaceCopy ?? false,
      ...(build ? { build } : {}),
      ...(merged.kubernetes ? { kubernetes: merged.kubernetes } : {}),
    },
    ...(file.backend ? { backend: file.backend } : {}),
    lifecycle: {
      autoRestart: merged.autoRestart ?? false,
      idleStopMinutes: merged.idleStopMinutes ?? 0,
      ...(merged.init !== undefined ? { init: Array.isArray(merged.init) ? merged.init.join('\n') : merged.init } : {}),
    },
    warnings,
  };
}

/** The file's fields win and env is merged by name (mounts add up, with their origin, in resolveEnvironment). The image comes from one source as a whole. */
function merge(settings: EnvironmentDescription, file: EnvironmentDescription): EnvironmentDescription {
  const fileChoosesImage = file.image !== undefined || file.dockerfile !== undefined || file.python !== undefined;
  const base = fileChoosesImage ? { ...settings, image: undefined, dockerfile: undefined, context: undefined, python: undefined } : settings;
  return {
    ...base,
    ...file,
    env: { ...settings.env, ...file.env },
  };
}

/**
 * "host" runs as the host user's uid:gid, so files written to /workspace belong to that user on the host. As root on
 * the host (or on Windows, without uids) it means the image's own user: root-owned files are the host user's anyway.
 */
function resolveUser(choice: string, host: HostUser): { docker?: string; hostUser: boolean } {
  switch (choice) {
    case 'host':
      return host.uid !== undefined && host.uid !== 0 ? { docker: `${host.uid}:${host.gid ?? host.uid}`, hostUser: true } : { hostUser: false };
    case 'image': return { hostUser: false };
    case 'root': return { docker: '0:0', hostUser: false };
    default: return { docker: choice, hostUser: false };
  }
}

/** A host uid has no home in the image, and a read-only root has no writable one: caches (pip, matplotlib) go to /tmp. */
function defaultEnv(user: { hostUser: boolean }, merged: EnvironmentDescription): Record<string, string> {
  return user.hostUser || merged.readOnlyRoot ? { HOME: '/tmp' } : {};
}

/** Names the source of a merged field: the file when it sets the field, else the settings. */
function originOf(field: string, file: EnvironmentDescription): string {
  return file[field as keyof EnvironmentDescription] !== undefined ? ENVIRONMENT_FILE : 'settings';
}

function origins(origin: string, mounts: Mount[] | undefined): { origin: string; field: string; mount: Mount }[] {
  return (mounts ?? []).map((mount, i) => ({ origin, field: `mounts[${i}]`, mount }));
}

function invalid(problems: string[]): PydockError {
  return new PydockError('invalid-environment', `The session environment is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    `Fix ${ENVIRONMENT_FILE} or the pydock settings; the schema (schemas/environment.schema.json) gives completion in the editor.`);
}
