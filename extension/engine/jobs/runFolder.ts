// A job's folder in the workspace, .pydock/runs/<id>/: its record, its log and its collected outputs, written only
// inside the workspace and never through a symbolic link (containedWrite).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { Refused, makeFolderInside, memberPath, readInside, writeInside } from '../docker/containedWrite';
import { formatLogLine } from './jobLog';
import { OUTPUTS_IN_CONTAINER, RUNS_DIR, type CollectedOutput, type JobRecord, type LogLine } from './jobTypes';

const RECORD = 'run.json';
const LOG = 'log.txt';

export class RunFolder {
  constructor(readonly workspace: string) {}

  /** The workspace-relative folder of a run, with / separators. */
  relative(id: string, ...more: string[]): string {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new Refused(`"${id}" is not a job id`);
    return path.posix.join(RUNS_DIR, id, ...more);
  }

  absolute(id: string, ...more: string[]): string {
    return path.join(this.workspace, ...this.relative(id, ...more).split('/'));
  }

  /** Written beside and renamed over, so a reader never sees half a record. */
  writeRecord(record: JobRecord): void {
    const rel = this.relative(record.id, RECORD);
    const { starting: _thisProcessOnly, ...saved } = record;
    writeInside(this.workspace, `${rel}.tmp`, Buffer.from(`${JSON.stringify(saved, null, 2)}\n`), 0o644);
    const real = fs.realpathSync(this.absolute(record.id));
    fs.renameSync(path.join(real, `${RECORD}.tmp`), path.join(real, RECORD));
  }

  readRecord(id: string): JobRecord | undefined {
    const data = readInside(this.workspace, this.relative(id, RECORD));
    if (!data) return undefined;
    try {
      return JSON.parse(data.toString('utf8')) as JobRecord;
    } catch {
      return undefined;
    }
  }

  /** Every run with a record, newest first (ids sort by their start time). */
  ids(): string[] {
    const root = path.join(this.workspace, ...RUNS_DIR.split('/'));
    let names: string[];
    try {
      names = fs.readdirSync(root);
    } catch {
      return [];
    }
    return names.filter((name) => fs.existsSync(path.join(root, name, RECORD))).sort().reverse();
  }

  writeLog(id: string, lines: LogLine[]): void {
    writeInside(this.workspace, this.relative(id, LOG), Buffer.from(lines.map((l) => `${formatLogLine(l)}\n`).join('')), 0o644);
  }

  readLog(id: string): string | undefined {
    return readInside(this.workspace, this.relative(id, LOG))?.toString('utf8');
  }

  /** The run's folder and everything in it; symbolic links in it are removed, not followed. */
  remove(id: string): void {
    fs.rmSync(this.absolute(id), { recursive: true, force: true });
  }

  /** The run's outputs/ made (inside the workspace, never through a link) for a job that writes into it directly. */
  makeOutputsFolder(id: string): string {
    return makeFolderInside(this.workspace, this.relative(id, 'outputs'));
  }

  /**
   * Lists what a job wrote straight into the run's outputs/ (bound as its /outputs), hashing regular files. Anything
   * else it left there (a link, a pipe, a socket) is removed, never followed or opened, and said.
   */
  async indexOutputs(id: string): Promise<{ outputs: CollectedOutput[]; refused: string[] }> {
    const outputs: CollectedOutput[] = [];
    const refused: string[] = [];
    const root = fs.realpathSync(this.absolute(id, 'outputs'));
    const visit = async (rel: string): Promise<void> => {
      for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        const local = path.join(root, child);
        if (entry.isDirectory()) await visit(child);
        else if (entry.isFile()) outputs.push({ path: child, ...await fileHash(local) });
        else {
          fs.rmSync(local, { force: true });
          refused.push(`${path.posix.basename(OUTPUTS_IN_CONTAINER)}/${child} (a ${kindOf(entry)}, not a file)`);
        }
      }
    };
    await visit('');
    return { outputs: outputs.sort((a, b) => a.path.localeCompare(b.path)), refused };
  }

  /**
   * Extracts the job's /outputs (a getArchive stream, members named outputs/…) into outputs/ of the run. Only regular
   * files are written; whatever would land elsewhere, or is a link, is refused and said.
   */
  async collectOutputs(id: string, archive: Readable): Promise<{ outputs: CollectedOutput[]; refused: string[] }> {
    const outputs: CollectedOutput[] = [];
    const refused: string[] = [];
    const reader = extract();
    const done = new Promise<void>((resolve, reject) => reader.on('finish', resolve).on('error', reject));
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        try {
          const rel = memberPath(header.name, OUTPUTS_IN_CONTAINER);
          if (header.type === 'file' && rel) {
            const data = Buffer.concat(chunks);
            writeInside(this.workspace, this.relative(id, 'outputs', rel), data, header.mode ?? 0o644);
            outputs.push({ path: rel, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
          } else if (header.type !== 'directory') {
            refused.push(`${header.name} (a ${header.type}, not a file)`);
          }
        } catch (error) {
          if (!(error instanceof Refused)) return next(error as Error);
          refused.push(`${header.name} (${error.message})`);
        }
        next();
      });
    });
    archive.pipe(reader);
    await done;
    return { outputs: outputs.sort((a, b) => a.path.localeCompare(b.path)), refused };
  }
}

/** Size and SHA-256 of a regular file, read without following a link. */
async function fileHash(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  for await (const chunk of handle.createReadStream()) { // closes the handle at its end
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

function kindOf(entry: fs.Dirent): string {
  return entry.isSymbolicLink() ? 'symlink' : entry.isFIFO() ? 'fifo' : entry.isSocket() ? 'socket' : 'device';
}
