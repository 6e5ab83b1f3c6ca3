// Writes what comes back from a container into a host folder, refusing any path that would land outside it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a member of a synced-back archive was not written. */
export class Refused extends Error {}

/**
 * The folder-relative path ('a/b.py', '' for the folder itself) of a member of an archive read from `folder` in the
 * container, named `<folder's last component>/a/b.py` by Docker. Anything else is refused: an absolute name, another
 * top folder, `.` or `..` components. A daemon is not trusted to name only what was asked for.
 */
export function memberPath(name: string, folder: string): string {
  if (name.startsWith('/') || name.includes('\\')) throw new Refused('an absolute or Windows-style name');
  const [top, ...parts] = name.split('/').filter((part) => part !== '');
  if (top !== path.posix.basename(folder)) throw new Refused(`not inside ${path.posix.basename(folder)}/`);
  if (parts.some((part) => part === '.' || part === '..')) throw new Refused('a "." or ".." component');
  return parts.join('/');
}

/**
 * Reads a file below root without following a symlink anywhere below root; undefined when there is none.
 * A symlink on the way is refused: what it points at is not the workspace's.
 */
export function readInside(root: string, rel: string): Buffer | undefined {
  const local = checkedPath(root, rel, false);
  if (local === undefined) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(local, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw refusedFor(error, rel);
  }
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a file below root, making its folders; never through a symlink, never outside root's real path. */
export function writeInside(root: string, rel: string, data: Buffer, mode: number): void {
  const local = checkedPath(root, rel, true)!;
  let fd: number;
  try {
    fd = fs.openSync(local, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, mode & 0o777);
  } catch (error) {
    throw refusedFor(error, rel);
  }
  try {
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a folder below root and those on the way; never through a symlink, never outside root's real path. */
export function makeFolderInside(root: string, rel: string): string {
  return checkedPath(root, `${rel}/.`, true)!;
}

/**
 * The host path of rel below root's real path, after checking each folder on the way is a real folder, and that the
 * parent's real path is inside root. A missing folder is made with `make`, else there is no such path (undefined).
 */
function checkedPath(root: string, rel: string, make: boolean): string | undefined {
  const realRoot = fs.realpathSync(root);
  const parts = rel.split('/');
  let dir = realRoot;
  for (const part of parts.slice(0, -1)) {
    dir = path.join(dir, part);
    const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!stat) {
      if (!make) return undefined;
      fs.mkdirSync(dir, { mode: 0o755 });
    } else if (stat.isSymbolicLink()) {
      throw new Refused(`${path.relative(realRoot, dir)} is a symbolic link on this machine`);
    } else if (!stat.isDirectory()) {
      throw new Refused(`${path.relative(realRoot, dir)} is a file on this machine`);
    }
  }
  const parent = fs.realpathSync(dir);
  if (parent !== realRoot && !parent.startsWith(realRoot + path.sep)) throw new Refused('its folder resolves outside the workspace');
  return path.join(parent, parts[parts.length - 1]);
}

function refusedFor(error: unknown, rel: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ELOOP' ? new Refused(`${rel} is a symbolic link on this machine`) : error as Error;
}
