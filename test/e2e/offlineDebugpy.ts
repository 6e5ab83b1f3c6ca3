// An image with pip but no debugpy, and a wheelhouse whose debugpy sdist is made from Debian's debugpy files: what the
// "Add debugpy to the environment" flow needs here, where no package index is reachable.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Debian's python3-debugpy on the host (scripts/setup.sh installs it); its pydevd is symlinked in from python3-pydevd. */
const DEBIAN_DEBUGPY = '/usr/lib/python3/dist-packages/debugpy';
/** Images this module builds carry this label, and so does every image derived from them: cleanup finds them by it. */
const LABEL = 'pydock.test.no-debugpy';

/**
 * `pydock-local/python:full` with Debian's debugpy and pydevd packages removed: pip, setuptools and the rest stay.
 * ipykernel depends on debugpy, hence --force-depends. Tagged `tag`, labelled with `marker` for removeImagesOf.
 */
export function buildImageWithoutDebugpy(tag: string, marker: string): void {
  const dockerfile = 'FROM pydock-local/python:full\nRUN dpkg --remove --force-depends python3-debugpy python3-pydevd\n';
  execFileSync('docker', ['build', '-q', '-t', tag, '--label', `${LABEL}=${marker}`, '-'], { input: dockerfile, stdio: ['pipe', 'ignore', 'pipe'] });
  const check = execFileSync('docker', ['run', '--rm', '--network', 'none', tag, 'python3', '-c',
    'import importlib.util as u, pip; print(u.find_spec("debugpy") is None)'], { encoding: 'utf8' });
  if (check.trim() !== 'True') throw new Error(`${tag} still imports debugpy`);
}

/**
 * A real source distribution of debugpy in `wheelhouse`: Debian's debugpy files (its vendored pydevd copied in, as
 * the PyPI release vendors it) with a setuptools pyproject, packed as pip expects an sdist to be named.
 */
export function writeDebugpySdist(wheelhouse: string, staging: string): string {
  const metadata = fs.readdirSync(path.dirname(DEBIAN_DEBUGPY)).find((name) => /^debugpy-.*\.dist-info$/.test(name));
  const version = metadata && /^Version: ([0-9.]+)/m.exec(fs.readFileSync(path.join(path.dirname(DEBIAN_DEBUGPY), metadata, 'METADATA'), 'utf8'))?.[1];
  if (!version) throw new Error(`no debugpy in ${path.dirname(DEBIAN_DEBUGPY)}: install python3-debugpy (scripts/setup.sh does)`);
  const name = `debugpy-${version}`;
  const root = path.join(staging, name);
  fs.cpSync(DEBIAN_DEBUGPY, path.join(root, 'debugpy'), { recursive: true, dereference: true, filter: (source) => path.basename(source) !== '__pycache__' });
  fs.writeFileSync(path.join(root, 'pyproject.toml'), [
    '[build-system]', 'requires = ["setuptools"]', 'build-backend = "setuptools.build_meta"', '',
    '[project]', 'name = "debugpy"', `version = "${version}"`, '',
    '[tool.setuptools.packages.find]', 'include = ["debugpy*"]', 'namespaces = true', '',
    '[tool.setuptools.package-data]', '"*" = ["*"]', '',
  ].join('\n'));
  fs.mkdirSync(wheelhouse, { recursive: true });
  const archive = path.join(wheelhouse, `${name}.tar.gz`);
  execFileSync('tar', ['-C', staging, '-czf', archive, name]);
  fs.rmSync(root, { recursive: true, force: true });
  return archive;
}

/**
 * Removes the images labelled with `marker`, derived ones (pydock's builds on top) before the one they derive from,
 * once no container runs them (sessions end as the window closes; with reattach off they do not linger).
 */
export async function removeImagesOf(marker: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ancestors = execFileSync('docker', ['images', '-q', '--filter', `label=${LABEL}=${marker}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const users = () => ancestors.flatMap((id) => execFileSync('docker', ['ps', '-q', '--filter', `ancestor=${id}`], { encoding: 'utf8' }).split('\n').filter(Boolean));
  while (users().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const images = execFileSync('docker', ['images', '-q', '--no-trunc', '--filter', `label=${LABEL}=${marker}`], { encoding: 'utf8' })
    .split('\n').filter(Boolean);
  const depth = new Map(images.map((id) => [id, execFileSync('docker', ['history', '-q', id], { encoding: 'utf8' }).split('\n').filter(Boolean).length]));
  for (const id of [...new Set(images)].sort((a, b) => depth.get(b)! - depth.get(a)!)) {
    execFileSync('docker', ['rmi', '-f', id], { stdio: 'ignore' });
  }
}
