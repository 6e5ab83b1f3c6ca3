// For Docker hosts that cannot see local folders: copies the workspace (and /io) in with putArchive, and changed files back.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import type { SyncReport, WorkspaceSync } from '../launch/backend';
import type { LaunchProgress } from '../launch/launchProgress';
import { memberPath, readInside, Refused, writeInside } from './containedWrite';
import { SKIPPED_FOLDERS, entriesOf, tarStream, walkFolder, type TarEntry } from './hostFiles';

/** Files larger than this stay on the host: data sets belong in a mount on the Docker host, not in every start. */
export const COPY_MAX_FILE_BYTES = 50 * 2 ** 20;

/** What a copy needs of the place it copies to: a Docker container, or a pod (kubernetes/podArchive.ts). */
export interface ArchiveHost {
  putArchive(tar: Readable, options: { path: string }): Promise<unknown>;
  getArchive(options: { path: string }): Promise<NodeJS.ReadableStream>;
  inspect(): Promise<{ Config: { User?: string } }>;
}

/** A host folder copied to a folder in the container. */
export interface CopyRoot {
  local: string;
  /** Absolute path in the container; a volume there receives the files (see containerSpec). */
  target: string;
  /** Relative paths (with / separators) not copied, e.g. the io folder that has its own root. */
  exclude: string[];
  /** The folder's path relative to the workspace, for reports: '' for the workspace itself. */
  label: string;
  /** Copied in but never synced back (a read-only workspace). */
  readOnly?: boolean;
}

/**
 * Copies in before the start and remembers a hash of each file it copied. syncBack() reads the folder back with
 * getArchive (which works whether the container runs or has stopped, and needs nothing in the image), and writes a
 * file on the host only when the container's copy differs from what was copied in. When the host file changed too,
 * it is a conflict: left alone and reported. Deletions in the container are not carried back.
 */
export class WorkspaceCopy implements WorkspaceSync {
  private container: ArchiveHost | undefined;
  /** Container path → sha256 of the content both sides last agreed on. */
  private readonly agreed = new Map<string, string>();

  /**
   * `intoVolumes`: the targets are volumes (under a read-only root, where Docker extracts nowhere else). Files land
   * there owned by the session's user, but the volume's top folder stays root's: Docker applies no ownership to the
   * folder it extracts into, only to what it creates, which is why without a read-only root the copy goes in at '/'.
   */
  constructor(private readonly roots: CopyRoot[], private readonly emit: (event: LaunchProgress) => void,
    private readonly intoVolumes: boolean, private readonly maxFileBytes = COPY_MAX_FILE_BYTES) {}

  async copyIn(container: ArchiveHost): Promise<void> {
    const started = performance.now();
    let files = 0;
    let bytes = 0;
    const skipped: string[] = [];
    const owner = await containerUser(container);
    for (const root of this.roots) {
      const walk = walkFolder(root.local, { maxFileBytes: this.maxFileBytes, exclude: root.exclude });
      skipped.push(...walk.tooLarge.map((f) => `${path.posix.join(root.target, f.rel)} (${(f.size / 2 ** 20).toFixed(0)} MiB, over the ${this.maxFileBytes / 2 ** 20} MiB limit)`));
      const [at, top] = this.intoVolumes ? [root.target, '.'] : ['/', root.target.slice(1)];
      const entries: TarEntry[] = [
        { name: top, kind: 'directory', mode: 0o755 },
        ...entriesOf(walk.files, top).map((entry, i) => this.remembering(path.posix.join(root.target, walk.files[i].rel), entry)),
      ];
      files += walk.files.filter((f) => f.kind === 'file').length;
      bytes += walk.files.reduce((sum, f) => sum + f.size, 0);
      await container.putArchive(tarStream(entries.map((entry) => ({ ...entry, ...owner }))), { path: at });
    }
    this.container = container;
    skipped.push(...[...SKIPPED_FOLDERS].map((name) => `${name} folders`));
    this.emit({ type: 'workspace-copied', files, bytes, skipped, ms: performance.now() - started });
  }

  async syncBack(): Promise<SyncReport> {
    if (!this.container) throw new Error('the workspace was not copied in yet');
    const report: SyncReport = { written: [], conflicts: [], refused: [] };
    for (const root of this.roots.filter((r) => !r.readOnly)) {
      const archive = await this.container.getArchive({ path: root.target }) as unknown as Readable;
      await this.readBack(root, archive, report);
    }
    return report;
  }

  /** Wraps a file entry so its hash is remembered (under its container path) when it is read for the archive. */
  private remembering(key: string, entry: TarEntry): TarEntry {
    const read = entry.data;
    if (typeof read !== 'function') return entry;
    return { ...entry, data: async () => {
      const data = await read();
      this.agreed.set(key, sha256(data));
      return data;
    } };
  }

  private async readBack(root: CopyRoot, archive: Readable, report: SyncReport): Promise<void> {
    const excluded = new Set(root.exclude);
    const reader = extract();
    const done = new Promise<void>((resolve, reject) => reader.on('finish', resolve).on('error', reject));
    reader.on('entry', (header, stream, next) => {
      let rel: string | undefined;
      try {
        rel = memberPath(header.name, root.target);
      } catch (error) {
        refuse(report, header.name, error);
      }
      const parts = rel?.split('/') ?? [];
      const wanted = header.type === 'file' && !!rel && !parts.some((p) => SKIPPED_FOLDERS.has(p))
        && !parts.some((_, i) => excluded.has(parts.slice(0, i + 1).join('/')));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk) => { if (wanted) chunks.push(chunk as Buffer); });
      stream.on('end', () => {
        if (wanted) {
          try {
            this.writeIfChanged(root, rel!, Buffer.concat(chunks), header.mode ?? 0o644, report);
          } catch (error) {
            if (!(error instanceof Refused)) {
              next(error as Error);
              return;
            }
            refuse(report, path.posix.join(root.label, rel!), error);
          }
        }
        next();
      });
      stream.resume();
    });
    archive.pipe(reader);
    await done;
  }

  private writeIfChanged(root: CopyRoot, rel: string, data: Buffer, mode: number, report: SyncReport): void {
    const key = path.posix.join(root.target, rel);
    const inContainer = sha256(data);
    const agreed = this.agreed.get(key);
    if (inContainer === agreed) return;
    const onHostData = readInside(root.local, rel);
    const onHost = onHostData && sha256(onHostData);
    if (onHost === inContainer) {
      this.agreed.set(key, inContainer);
      return;
    }
    const where = path.posix.join(root.label, rel);
    if (onHost !== undefined && onHost !== agreed) {
      report.conflicts.push(where);
      return;
    }
    writeInside(root.local, rel, data, mode);
    this.agreed.set(key, inContainer);
    report.written.push(where);
  }
}

/** A member that would land outside the folder, or through a symlink: reported, never written. */
function refuse(report: SyncReport, name: string, error: unknown): void {
  report.refused.push({ path: name, reason: (error as Error).message });
}

/**
 * The uid and gid the session runs as, so the copied files are its own (as a mounted workspace's files are the host
 * user's). Docker's own copyUIDGID cannot do this: it looks names up in the host's passwd, not the container's.
 */
async function containerUser(container: ArchiveHost): Promise<{ uid: number; gid: number }> {
  const user = (await container.inspect()).Config.User ?? '';
  const [name, group] = user.split(':');
  if (!name) return { uid: 0, gid: 0 };
  const numeric = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);
  if (numeric(name) !== undefined && numeric(group) !== undefined) return { uid: numeric(name)!, gid: numeric(group)! };
  const passwd = await readContainerFile(container, '/etc/passwd').catch(() => '');
  const entry = passwd.split('\n').map((line) => line.split(':')).find((f) => f[0] === name || f[2] === name);
  const uid = numeric(name) ?? numeric(entry?.[2]);
  if (uid === undefined) throw new Error(`the user ${name} is not in the image's /etc/passwd`);
  return { uid, gid: numeric(group) ?? numeric(entry?.[3]) ?? 0 };
}

async function readContainerFile(container: ArchiveHost, file: string): Promise<string> {
  const archive = await container.getArchive({ path: file }) as unknown as Readable;
  let text = '';
  const reader = extract();
  reader.on('entry', (_header, stream, next) => {
    stream.on('data', (chunk) => { text += (chunk as Buffer).toString('utf8'); });
    stream.on('end', () => next());
  });
  archive.pipe(reader);
  await new Promise<void>((resolve, reject) => reader.on('finish', () => resolve()).on('error', reject));
  return text;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
