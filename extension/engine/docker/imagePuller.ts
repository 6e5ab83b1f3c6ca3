// Puts a session's image on the Docker host: pulled when missing (or always, or never, as asked), with layer and byte
// progress and the docker CLI's credentials; one pull per image at a time, whoever asks.
import type Docker from 'dockerode';
import type { LaunchSpec, PullPolicy } from '../launch/backend';
import { PydockError } from '../errors';
import type { LaunchProgress } from '../launch/launchProgress';
import { JsonLines } from './buildStream';
import { parseImageReference } from './imageReference';
import { pullError } from './pullErrors';
import { PullStreamParser } from './pullStream';
import type { RegistryCredentials } from './registryAuth';

type Emit = (event: LaunchProgress) => void;

/** A Docker host to put images on, and where its pulls get credentials (read at each pull, so a fixed config works at once). */
export interface ImageHost {
  docker: Docker;
  /** The daemon's URL, for messages. */
  url: string;
  credentials(registry: string): Promise<RegistryCredentials>;
}

export interface ImageRequest {
  policy: PullPolicy;
  emit: Emit;
  /** Cancels a pull in progress; the launch fails with a `cancelled` error. */
  signal?: AbortSignal;
}

/** What a launch spec asks of its image: its pull policy (default 'missing'), progress and cancellation. */
export function imageRequestOf(spec: Pick<LaunchSpec, 'pull' | 'onProgress' | 'signal'>): ImageRequest {
  return { policy: spec.pull ?? 'missing', emit: spec.onProgress ?? (() => undefined), ...(spec.signal ? { signal: spec.signal } : {}) };
}

/** The image a session runs on: its id, the registry digest it was pulled by (if any), its user and workdir. */
export interface ImageInfo {
  id: string;
  repoDigest?: string;
  user: string;
  workingDir: string;
}

/**
 * The image on the host, pulled first as the policy says; reports its id and digest (the launch log's record of what
 * runs). The name is read as a registry reference only for a pull: Docker runs local images by names it would not pull.
 */
export async function ensureImage(host: ImageHost, image: string, request: ImageRequest): Promise<ImageInfo> {
  let info = request.policy === 'always' ? undefined : await inspectImage(host.docker, image);
  if (!info) {
    if (request.policy === 'never') {
      throw new PydockError('image-missing', `The image ${image} is not on the Docker host ${host.url}, and pulling is off.`,
        `Pull it with "docker pull ${image}", build it ("docker build -t ${image} ."), or let pydock pull it (--pull missing).`);
    }
    await pullImage(host, image, request);
    info = await inspectImage(host.docker, image);
    if (!info) throw new PydockError('pull-failed', `Docker reported ${image} as pulled, but the host ${host.url} does not have it.`, 'Run again; if it persists, try "docker pull" on the host.');
  }
  const ready: ImageInfo = { id: info.Id, ...repoDigestOf(info.RepoDigests ?? [], image), user: info.Config?.User ?? '', workingDir: info.Config?.WorkingDir ?? '' };
  request.emit({ type: 'image-ready', image, id: ready.id, ...(ready.repoDigest ? { repoDigest: ready.repoDigest } : {}) });
  return ready;
}

interface Pulling {
  done: Promise<void>;
  listeners: Set<Emit>;
  /** Replayed to a caller that joins late, so its progress view opens too. */
  start?: LaunchProgress;
}

const pulling = new Map<string, Pulling>();

/** Pulls now (a new tag upstream, or a missing image). Callers asking while it runs join it and get its progress. */
export function pullImage(host: ImageHost, image: string, request: Omit<ImageRequest, 'policy'>): Promise<void> {
  const key = `${host.url}\n${image}`;
  let current = pulling.get(key);
  if (current) {
    if (current.start) request.emit(current.start);
    current.listeners.add(request.emit);
    return current.done;
  }
  const entry: Pulling = { listeners: new Set([request.emit]), done: Promise.resolve() };
  const emit: Emit = (event) => {
    if (event.type === 'pull-start') entry.start = event;
    for (const listener of entry.listeners) listener(event);
  };
  entry.done = pull(host, image, emit, request.signal).finally(() => pulling.delete(key));
  pulling.set(key, entry);
  return entry.done;
}

async function pull(host: ImageHost, image: string, emit: Emit, signal: AbortSignal | undefined): Promise<void> {
  const reference = parseImageReference(image);
  const credentials = await host.credentials(reference.registry);
  const context = { image, registry: reference.registry, credentials: credentials.source, daemon: host.url };
  if (signal?.aborted) throw cancelled(image);
  const started = performance.now();
  emit({ type: 'pull-start', image, registry: reference.registry, credentials: credentials.source });
  const parser = new PullStreamParser(image, emit);
  try {
    const stream = await host.docker.createImage(credentials.auth, {
      fromImage: reference.fromImage, tag: reference.tagOrDigest, ...(signal ? { abortSignal: signal } : {}),
    }) as NodeJS.ReadableStream & { destroy?(): void };
    const lines = new JsonLines((message) => parser.push(message));
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stream.destroy?.();
        reject(cancelled(image));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => lines.push(chunk));
      stream.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      stream.on('error', reject);
    });
    lines.end();
  } catch (error) {
    if (signal?.aborted) throw cancelled(image);
    throw pullError(daemonMessage(error), context);
  }
  const failure = parser.failure();
  if (failure) throw pullError(failure, context);
  emit({ type: 'pull-done', image, ms: performance.now() - started, upToDate: parser.upToDate });
}

/**
 * The RepoDigests entry of the image's repository ("registry/repo@sha256:…"): what to pin in pydock.image. None for an
 * image named by its id, or built or loaded here.
 */
function repoDigestOf(repoDigests: string[], image: string): { repoDigest?: string } {
  const repository = (name: string) => {
    try {
      const parsed = parseImageReference(name);
      return `${parsed.registry}/${parsed.repository}`;
    } catch {
      return undefined; // Docker also takes names it would not pull by, such as image ids
    }
  };
  const wanted = repository(image);
  const same = wanted && repoDigests.find((entry) => repository(entry) === wanted);
  return same ? { repoDigest: same } : {};
}

/** The host's image of that name, or undefined when it has none. */
export async function inspectImage(docker: Docker, image: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(image).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

function cancelled(image: string): PydockError {
  return new PydockError('cancelled', `The pull of ${image} was cancelled.`, 'Run the code again to pull it.');
}

/** What the daemon said: docker-modem wraps a streamed request's error as "(HTTP code 500) server error - MESSAGE ". */
function daemonMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return (e?.json?.message ?? e?.message?.replace(/^\(HTTP code \d+\) [^-]*- /, '') ?? String(error)).trim();
}
