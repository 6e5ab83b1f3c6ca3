// Builds a session's derived image (Dockerfile, pip requirements) through dockerode, once: tagged by a hash of its inputs.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import dockerignore from '@balena/dockerignore';
import type Docker from 'dockerode';
import type { ImageBuild } from '../launch/backend';
import { PydockError } from '../errors';
import type { LaunchProgress } from '../launch/launchProgress';
import { BuildStreamParser } from './buildStream';
import { dockerfileRegistries } from './dockerfileBases';
import { entriesOf, tarStream, walkFolder, type TarEntry } from './hostFiles';
import { ensureImage, inspectImage, type ImageHost, type ImageRequest } from './imagePuller';
import type { AuthConfig } from './registryAuth';
import { requirementReferences } from './requirements';

type Emit = (event: LaunchProgress) => void;

/** Where requirement files and local packages sit in the derived image; pip runs there, so workspace-relative paths work. */
export const REQUIREMENTS_DIR = '/opt/pydock-env';
const GENERATED_REQUIREMENTS = '.pydock-requirements.txt';
const CONTEXT_DOCKERFILE = '.pydock.Dockerfile';
/** Bump when the generated Dockerfile changes meaning, so old tags are not reused for it. */
const RECIPE_VERSION = 'pydock-env 1';

/** A build: the files of its context (Dockerfile among them), and the tag its inputs hash to. */
interface Recipe {
  tag: string;
  dockerfile: string;
  entries: TarEntry[];
  reason: string;
  /** Registries its FROM lines pull from, for whose credentials the build asks (none for the generated Dockerfile). */
  registries: string[];
}

/**
 * The image a session runs: `image` itself (pulled as the request's policy says), or the derived image of `build`,
 * built now unless it exists already. A requirements build pulls its base image the same way.
 */
export async function prepareImage(host: ImageHost, image: string, build: ImageBuild | undefined, request: ImageRequest): Promise<string> {
  if (!build) {
    await ensureImage(host, image, request);
    return image;
  }
  let base = image;
  if (build.dockerfile) base = await ensureBuilt(host, await dockerfileRecipe(build, build.dockerfile), request.emit);
  if (build.requirements) {
    // A base built just now from the Dockerfile is on the host: only a registry image is pulled.
    const baseImage = await ensureImage(host, base, build.dockerfile ? { ...request, policy: 'missing' } : request);
    base = await ensureBuilt(host, await requirementsRecipe(build, baseImage), request.emit);
  }
  return base;
}

/** The Dockerfile that installs requirements on top of a base image, as root, leaving the base's user and workdir as they were. */
export function requirementsDockerfile(base: BaseImage, requirementsPath: string, pipArgs: string[]): string {
  const restoreUser = base.user && !/^(root|0)(:.*)?$/.test(base.user);
  // PIP_BREAK_SYSTEM_PACKAGES only matters for a Python marked externally managed (Debian's, PEP 668): this image is
  // the environment, so installing into it is the point. Pips that predate the option ignore the variable.
  const pip = ['env', 'PIP_BREAK_SYSTEM_PACKAGES=1', 'PIP_ROOT_USER_ACTION=ignore', 'python3', '-m', 'pip', 'install', '--no-cache-dir',
    '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', ...pipArgs, '-r', requirementsPath];
  return [
    `FROM ${base.id}`,
    ...(restoreUser ? ['USER 0:0'] : []),
    `COPY ws/ ${REQUIREMENTS_DIR}/`,
    `WORKDIR ${REQUIREMENTS_DIR}`,
    `RUN ${JSON.stringify(pip)}`,
    `WORKDIR ${base.workingDir || '/'}`,
    ...(restoreUser ? [`USER ${base.user}`] : []),
    '',
  ].join('\n');
}

/** What the generated Dockerfile needs of its base image. */
export interface BaseImage {
  id: string;
  user: string;
  workingDir: string;
}

const inFlight = new Map<string, Promise<string>>();

/** Reuses the tag when Docker has it; otherwise builds it, once per process even when sessions start together. */
function ensureBuilt(host: ImageHost, recipe: Recipe, emit: Emit): Promise<string> {
  let pending = inFlight.get(recipe.tag);
  if (!pending) {
    pending = (async () => {
      if (await inspectImage(host.docker, recipe.tag)) {
        emit({ type: 'build-done', image: recipe.tag, built: false, ms: 0 });
        return recipe.tag;
      }
      return build(host, recipe, emit);
    })().finally(() => inFlight.delete(recipe.tag));
    inFlight.set(recipe.tag, pending);
  }
  return pending;
}

async function build(host: ImageHost, recipe: Recipe, emit: Emit): Promise<string> {
  const started = performance.now();
  emit({ type: 'build-start', image: recipe.tag, reason: recipe.reason });
  const parser = new BuildStreamParser(emit);
  const response = await host.docker.buildImage(tarStream(recipe.entries), {
    t: recipe.tag, dockerfile: recipe.dockerfile, rm: true, forcerm: true, labels: { pydock: '1' },
    // The Engine API takes whole AuthConfigs (identity tokens too); @types/dockerode knows only username and password.
    registryconfig: await registryConfig(host, recipe.registries) as Docker.RegistryConfig,
  });
  await new Promise<void>((resolve, reject) => {
    response.on('data', (chunk: Buffer) => parser.pushBytes(chunk));
    response.on('end', resolve);
    response.on('error', reject);
  });
  parser.end();
  const failure = parser.failure();
  if (failure) {
    // The classic builder keeps each finished step as an image for its cache; a failed build's would only pile up.
    for (const layer of [...parser.createdLayers].reverse()) await host.docker.getImage(layer).remove().catch(() => undefined);
    const pip = failure.pipErrors.length ? `\n${failure.pipErrors.join('\n')}` : '';
    throw new PydockError('build-failed', `Building the session image ${recipe.tag} failed: ${failure.message}${pip}`,
      'Fix the requirements or the Dockerfile (the lines above say what failed), then start the session again.', failure.tail.join('\n'));
  }
  emit({ type: 'build-done', image: recipe.tag, built: true, ms: performance.now() - started });
  return recipe.tag;
}

async function dockerfileRecipe(build: ImageBuild, dockerfile: { file: string; context: string }): Promise<Recipe> {
  const inside = path.relative(dockerfile.context, dockerfile.file);
  const outside = inside.startsWith('..') || path.isAbsolute(inside);
  const name = outside ? CONTEXT_DOCKERFILE : toPosix(inside);
  const sent = contextFilter(dockerfile.context, name);
  const entries = entriesOf(walkFolder(dockerfile.context).files.filter((file) => sent(file.rel)), '');
  const text = await fs.promises.readFile(dockerfile.file);
  if (outside) entries.push({ name, kind: 'file', mode: 0o644, data: text });
  const recipe = await loaded({ build, prefix: 'dockerfile', seed: name, dockerfile: name, entries, reason: `building ${path.basename(dockerfile.file)}` });
  return { ...recipe, registries: dockerfileRegistries(text.toString('utf8')) };
}

/** The credentials a build's pulls use, by server, as X-Registry-Config carries them (the docker CLI sends the same). */
async function registryConfig(host: ImageHost, registries: string[]): Promise<Record<string, AuthConfig>> {
  const found = await Promise.all(registries.map((registry) => host.credentials(registry)));
  return Object.fromEntries(found.flatMap(({ auth }) => (auth ? [[auth.serveraddress, auth]] : [])));
}

/**
 * Which context paths go to the daemon: all but what the context's .dockerignore names, read by Docker's own rules
 * (@balena/dockerignore). The Dockerfile and the .dockerignore always go, as `docker build` sends them.
 */
function contextFilter(context: string, dockerfile: string): (rel: string) => boolean {
  let rules: string;
  try {
    rules = fs.readFileSync(path.join(context, '.dockerignore'), 'utf8');
  } catch {
    return () => true;
  }
  const ignored = dockerignore().add(rules.split(/\r?\n/));
  return (rel) => rel === dockerfile || rel === '.dockerignore' || !ignored.ignores(rel);
}

async function requirementsRecipe(build: ImageBuild, base: BaseImage): Promise<Recipe> {
  const requirements = build.requirements!;
  const workspace = build.workspace;
  const named = 'file' in requirements ? toPosix(path.relative(workspace, requirements.file)) : GENERATED_REQUIREMENTS;
  const entries: TarEntry[] = [];
  if ('lines' in requirements) entries.push({ name: `ws/${GENERATED_REQUIREMENTS}`, kind: 'file', mode: 0o644, data: Buffer.from(`${requirements.lines.join('\n')}\n`) });
  for (const rel of workspacePaths(workspace, named, 'lines' in requirements ? requirements.lines.join('\n') : undefined)) {
    const abs = path.join(workspace, rel);
    const stat = fs.statSync(abs);
    entries.push(...(stat.isDirectory()
      ? [{ name: `ws/${rel}`, kind: 'directory' as const, mode: 0o755 }, ...entriesOf(walkFolder(abs).files, `ws/${rel}`)]
      : entriesOf([{ rel, abs, kind: 'file', size: stat.size, mode: stat.mode & 0o7777, mtime: stat.mtime }], 'ws')));
  }
  const dockerfile = requirementsDockerfile(base, named, build.pipArgs);
  entries.push({ name: 'Dockerfile', kind: 'file', mode: 0o644, data: Buffer.from(dockerfile) });
  return loaded({ build, prefix: '', seed: base.id, dockerfile: 'Dockerfile', entries, reason: 'installing the requirements with pip' });
}

/**
 * The workspace-relative files and folders the requirements need: the requirements file, the files it nests (-r, -c,
 * relative to the file naming them, as pip reads them) and local packages, wheels and link folders (relative to the
 * workspace, where pip runs). Each must exist inside the workspace.
 */
function workspacePaths(workspace: string, requirementsFile: string, generated: string | undefined): string[] {
  const found = new Set<string>();
  const visit = (file: string, text: string) => {
    for (const ref of requirementReferences(text)) {
      const from = ref.nested ? path.dirname(path.join(workspace, file)) : workspace;
      const abs = path.resolve(from, ref.path);
      const rel = toPosix(path.relative(workspace, abs));
      const where = `${file} line ${ref.line}`;
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw badReference(`${where}: ${ref.path} is outside the workspace; only workspace paths are copied into the build`);
      if (!fs.existsSync(abs)) throw badReference(`${where}: ${ref.path} does not exist (paths are relative to the workspace)`);
      if (found.has(rel)) continue;
      found.add(rel);
      if (ref.nested) visit(rel, fs.readFileSync(abs, 'utf8'));
    }
  };
  if (generated === undefined) {
    const abs = path.join(workspace, requirementsFile);
    if (!fs.existsSync(abs)) throw badReference(`requirements: ${requirementsFile} does not exist in the workspace`);
    found.add(requirementsFile);
    visit(requirementsFile, fs.readFileSync(abs, 'utf8'));
  } else {
    visit(GENERATED_REQUIREMENTS, generated);
  }
  return [...found].sort();
}

/** Reads every file of the recipe and names it by their hash: `pydock-env/<workspace hash>:<prefix->content hash>`. */
async function loaded(options: { build: ImageBuild; prefix: string; seed: string; dockerfile: string; entries: TarEntry[]; reason: string }): Promise<Recipe> {
  const hash = createHash('sha256').update(`${RECIPE_VERSION}\n${options.seed}\n`);
  const entries = await Promise.all(options.entries.map(async (e) => ({ ...e, data: typeof e.data === 'function' ? await e.data() : e.data })));
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`${entry.kind} ${entry.name} ${entry.linkname ?? ''} ${entry.data?.length ?? 0}\n`);
    if (entry.data) hash.update(entry.data);
  }
  const content = hash.digest('hex').slice(0, 16);
  const repository = `pydock-env/${createHash('sha256').update(options.build.workspace).digest('hex').slice(0, 12)}`;
  return {
    tag: `${repository}:${options.prefix ? `${options.prefix}-` : ''}${content}`, dockerfile: options.dockerfile, entries, reason: options.reason,
    registries: [],
  };
}

function badReference(message: string): PydockError {
  return new PydockError('build-failed', `The requirements cannot be built: ${message}.`, 'Write local packages and wheels as paths relative to the workspace, e.g. ./pkg or wheels/x.whl.');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
