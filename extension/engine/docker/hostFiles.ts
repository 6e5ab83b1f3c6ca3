// Host folders as tar archives for the Docker API: walks a folder (leaving out what never belongs in a container) and packs entries.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';

/** Folders no session or build needs: version control, JavaScript dependencies (often the largest things around), bytecode caches. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules', '__pycache__']);

export interface HostFile {
  /** Relative to the walked folder, with / separators. */
  rel: string;
  abs: string;
  kind: 'file' | 'directory' | 'symlink';
  size: number;
  mode: number;
  mtime: Date;
}

export interface WalkOptions {
  /** Files larger than this are left out and listed in `tooLarge`. */
  maxFileBytes?: number;
  /** Relative paths (with / separators) left out with everything below them. */
  exclude?: string[];
}

export interface Walk {
  files: HostFile[];
  tooLarge: HostFile[];
}

/** Every directory, file and symlink below root, parents before children, in a stable order. */
export function walkFolder(root: string, options: WalkOptions = {}): Walk {
  const walk: Walk = { files: [], tooLarge: [] };
  const excluded = new Set(options.exclude ?? []);
  const visit = (dir: string, prefix: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const rel = prefix ? `${prefix}/${name}` : name;
      if (SKIPPED_FOLDERS.has(name) || excluded.has(rel)) continue;
      const abs = path.join(dir, name);
      const stat = fs.lstatSync(abs);
      const kind = stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : undefined;
      if (!kind) continue; // sockets, fifos and devices mean nothing in a container
      const file: HostFile = { rel, abs, kind, size: kind === 'file' ? stat.size : 0, mode: stat.mode & 0o7777, mtime: stat.mtime };
      if (kind === 'file' && options.maxFileBytes !== undefined && stat.size > options.maxFileBytes) {
        walk.tooLarge.push(file);
        continue;
      }
      walk.files.push(file);
      if (kind === 'directory') visit(abs, rel);
    }
  };
  visit(root, '');
  return walk;
}

export interface TarEntry {
  /** The path in the archive, with / separators. */
  name: string;
  kind: 'file' | 'directory' | 'symlink';
  mode: number;
  mtime?: Date;
  /** A file's bytes, or how to read them when the entry's turn comes (so large trees stream instead of sitting in memory). */
  data?: Buffer | (() => Promise<Buffer>);
  linkname?: string;
  /** Owner in the container; root when absent. */
  uid?: number;
  gid?: number;
}

/** The entries of a walked folder, placed under `prefix` in the archive. */
export function entriesOf(files: HostFile[], prefix: string): TarEntry[] {
  return files.map((f) => ({
    name: prefix ? `${prefix}/${f.rel}` : f.rel,
    kind: f.kind,
    mode: f.mode,
    mtime: f.mtime,
    ...(f.kind === 'file' ? { data: () => fs.promises.readFile(f.abs) } : {}),
    ...(f.kind === 'symlink' ? { linkname: fs.readlinkSync(f.abs) } : {}),
  }));
}

/** A tar stream of the entries, reading each file only when it is written. */
export function tarStream(entries: TarEntry[]): Readable {
  const archive = pack();
  (async () => {
    for (const entry of entries) {
      const data = typeof entry.data === 'function' ? await entry.data() : entry.data;
      const header = {
        name: entry.name, type: entry.kind, mode: entry.mode, ...(entry.mtime ? { mtime: entry.mtime } : {}),
        ...(entry.linkname !== undefined ? { linkname: entry.linkname } : {}),
        uid: entry.uid ?? 0, gid: entry.gid ?? 0,
      };
      await new Promise<void>((resolve, reject) => {
        const written = (error?: Error | null) => (error ? reject(error) : resolve());
        if (entry.kind === 'file') archive.entry(header, data ?? Buffer.alloc(0), written);
        else archive.entry(header, written);
      });
    }
    archive.finalize();
  })().catch((error: Error) => archive.destroy(error));
  return Readable.from(archive); // a Node stream, which dockerode pipes into its request
}
