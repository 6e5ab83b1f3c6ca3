// A pod as the place a workspace copy goes (docker/workspaceCopy.ts's ArchiveHost): before the start its tars go to
// python-agent/podstart.py on stdin; afterwards folders are read back as a tar by Python run through the exec subresource.
import { Readable } from 'node:stream';
import { PydockError } from '../errors';
import type { ArchiveHost } from '../docker/workspaceCopy';
import { readChannelMessage, statusExitCode, type ChannelStatus } from './channels';
import { openChannelSocket } from './channelSocket';
import type { KubeTarget } from './kubeConnect';
import { AGENT_CONTAINER } from './podSpec';

/** Writes the folder named by argv[1] to stdout as a tar whose top entry is its own name, as Docker's getArchive does. */
const TAR_FOLDER = 'import os, sys, tarfile\n'
  + 'with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as t:\n'
  + '    t.add(sys.argv[1], arcname=os.path.basename(sys.argv[1]))\n';

/** Stdin messages stay below this, so no proxy between here and the kubelet sees one huge message. */
const MESSAGE_BYTES = 1 << 20;

export class PodArchive implements ArchiveHost {
  private readonly tars: Buffer[] = [];
  private pod: { kube: KubeTarget; namespace: string; name: string } | undefined;

  /** `user` as the pod runs it: numeric ids only (Kubernetes resolves no names). */
  constructor(private readonly user: string | undefined) {}

  /** The pod runs: read-backs go to it. */
  started(kube: KubeTarget, namespace: string, name: string): void {
    this.pod = { kube, namespace, name };
  }

  async putArchive(tar: Readable, options: { path: string }): Promise<void> {
    if (options.path !== '/') throw new Error(`a pod's copy unpacks at /, not ${options.path}`);
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    this.tars.push(Buffer.concat(chunks));
  }

  async inspect(): Promise<{ Config: { User: string } }> {
    return { Config: { User: /^\d+(:\d+)?$/.test(this.user ?? '') ? this.user! : '' } };
  }

  /** What podstart.py reads on stdin, cut into messages below MESSAGE_BYTES. */
  messages(): Buffer[] {
    return this.upload().flatMap((piece) => {
      const parts: Buffer[] = [];
      for (let at = 0; at < piece.length; at += MESSAGE_BYTES) parts.push(piece.subarray(at, at + MESSAGE_BYTES));
      return parts;
    });
  }

  /** What podstart.py reads on stdin: each tar after its 8-byte length, then a zero length. */
  private upload(): Buffer[] {
    const length = (n: number) => {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64BE(BigInt(n));
      return bytes;
    };
    return [...this.tars.flatMap((tar) => [length(tar.length), tar]), length(0)];
  }

  /** The folder as a tar, read whole before it is handed on, so a failure is an error rather than a cut archive. */
  async getArchive(options: { path: string }): Promise<Readable> {
    if (!this.pod) throw new Error('the pod has not started');
    const { kube, namespace, name } = this.pod;
    return readFolder(kube, namespace, name, AGENT_CONTAINER, options.path);
  }
}

/** A folder of a pod's container as a tar (its top entry the folder's own name, as Docker's getArchive), through exec. */
export async function readFolder(kube: KubeTarget, namespace: string, name: string, container: string, folder: string): Promise<Readable> {
  const { socket, protocol } = await openChannelSocket(kube, namespace, name, 'exec', ['python3', '-c', TAR_FOLDER, folder], container);
  const stdout: Buffer[] = [];
  let stderr = '';
  let status: ChannelStatus | undefined;
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = readChannelMessage(data, protocol);
      if (message.kind === 'stdout') stdout.push(message.data);
      else if (message.kind === 'stderr') stderr += message.data.toString('utf8');
      else if (message.kind === 'status') status = message.status;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
  const code = status ? statusExitCode(status) : null;
  if (code !== 0) {
    throw new PydockError('start-failed', `Reading ${folder} back from pod ${name} failed (${status?.message ?? `exit code ${code}`}).`,
      'The copy needs python3 in the image and the RBAC verbs create and get on pods/exec.', stderr);
  }
  return Readable.from([Buffer.concat(stdout)]);
}
