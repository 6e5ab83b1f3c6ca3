// Shared set-up for environment tests: sessions from an environment description, a tiny local package, cleanup of images.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after } from 'node:test';
import type { Backend } from '../../extension/engine/launch/backend';
import { connectBackend } from '../../extension/engine/launch/backends';
import { resolveEnvironment, type EnvironmentDescription, type HostUser } from '../../extension/engine/launch/environment';
import type { LaunchProgress } from '../../extension/engine/launch/launchProgress';
import { Session } from '../../extension/engine/session/session';
import { CHECKED_ENV, testLog } from './helpers';

export interface EnvSession {
  session: Session;
  /** Everything the launch reported, in order. */
  progress: LaunchProgress[];
}

/** A session launched from .pydock/environment.json contents as pydock resolves them; stopped when the file ends. */
export function envSession(workspace: string, file: EnvironmentDescription, options: { host?: HostUser; backend?: () => Promise<Backend> } = {}): EnvSession {
  const env = resolveEnvironment({ settings: {}, file, workspace, host: options.host ?? { uid: 0, gid: 0 } });
  const progress: LaunchProgress[] = [];
  const session = new Session({
    name: `env ${path.basename(workspace)}`,
    log: testLog,
    backend: options.backend ?? (() => connectBackend({ choice: 'docker', log: testLog })),
    launch: { ...env.launch, env: { ...CHECKED_ENV, ...env.launch.env }, workspaceLabel: `file://${workspace}`, sessionLabel: 'env-test', onProgress: (event) => progress.push(event) },
  });
  after(() => session.dispose());
  return { session, progress };
}

/** Removes the derived images these launches built, when the test file ends. */
export function removeBuiltImages(progress: LaunchProgress[]): void {
  const built = progress.flatMap((e) => (e.type === 'build-done' && e.built ? [e.image] : []));
  if (built.length) execFileSync('docker', ['rmi', '-f', ...built], { stdio: 'ignore' });
}

/** A package pip can build offline with the image's setuptools: `import pydocktiny; pydocktiny.ANSWER == 42`. */
export function writeTinyPackage(dir: string, answer = 42): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), [
    '[build-system]', 'requires = ["setuptools"]', 'build-backend = "setuptools.build_meta"', '',
    '[project]', 'name = "pydocktiny"', 'version = "0.1"', '', '[tool.setuptools]', 'py-modules = ["pydocktiny"]', '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'pydocktiny.py'), `ANSWER = ${answer}\n`);
}

/** The value of a successful eval, or a failure that shows the Python error. */
export async function value(session: Session, expr: string): Promise<unknown> {
  const outcome = await session.eval(expr);
  if (!outcome.ok) throw new Error(`${expr} raised ${outcome.error.type}: ${outcome.error.message}`);
  return outcome.value;
}
