// The first bytes a new pod reads on stdin (python-agent/podstart.py): an 8-byte length, then the workspace and /io as a tar.
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { LaunchSpec } from '../launch/backend';
import { IO_IN_CONTAINER, WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';
import { SKIPPED_FOLDERS, entriesOf, tarStream, walkFolder, type TarEntry } from '../docker/hostFiles';
import { COPY_MAX_FILE_BYTES } from '../docker/workspaceCopy';

/** Stdin messages stay below this, so no proxy between here and the kubelet sees one huge message. */
const MESSAGE_BYTES = 1 << 20;

/** The bytes to send, in messages; `copied` is undefined when nothing is copied in (a claim holds the workspace, or there is none). */
export async function workspaceUpload(spec: LaunchSpec): Promise<{ messages: Buffer[]; copied?: { files: number; bytes: number; skipped: string[] } }> {
  const copies = !spec.kubernetes?.workspaceClaim;
  const roots = [
    ...(spec.workspace && copies ? [{ local: spec.workspace, target: WORKSPACE_IN_CONTAINER }] : []),
    ...(spec.io ? [{ local: spec.io, target: IO_IN_CONTAINER }] : []),
  ];
  if (!roots.length) return { messages: [Buffer.alloc(8)] };
  const entries: TarEntry[] = [];
  const skipped: string[] = [];
  let files = 0;
  let bytes = 0;
  for (const root of roots) {
    const ioInside = spec.io && root.local !== spec.io ? path.relative(root.local, spec.io).split(path.sep).join('/') : undefined;
    const walk = walkFolder(root.local, { maxFileBytes: COPY_MAX_FILE_BYTES, exclude: ioInside && !ioInside.startsWith('..') ? [ioInside] : [] });
    skipped.push(...walk.tooLarge.map((f) => `${path.posix.join(root.target, f.rel)} (over ${COPY_MAX_FILE_BYTES / 2 ** 20} MiB)`));
    entries.push(...entriesOf(walk.files, root.target.slice(1)));
    files += walk.files.filter((f) => f.kind === 'file').length;
    bytes += walk.files.reduce((sum, f) => sum + f.size, 0);
  }
  skipped.push(...[...SKIPPED_FOLDERS].map((name) => `${name} folders`));
  const tar = await collect(tarStream(entries));
  const length = Buffer.alloc(8);
  length.writeBigUInt64BE(BigInt(tar.length));
  const stream = Buffer.concat([length, tar]);
  const messages: Buffer[] = [];
  for (let at = 0; at < stream.length; at += MESSAGE_BYTES) messages.push(stream.subarray(at, at + MESSAGE_BYTES));
  return { messages, copied: { files, bytes, skipped } };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
