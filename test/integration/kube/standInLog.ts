// The stand-in's pods/log: a container's stdout and stderr merged as the kubelet gives them, with timestamps (RFC 3339
// with nanoseconds), from a sinceTime, and followed until the container ends.
import type * as http from 'node:http';
import type { Readable } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import { DockerDemuxer } from '../../../extension/engine/wire/framing';

export async function podLog(containers: Map<string, Docker.Container>, pod: V1Pod, url: URL, response: http.ServerResponse): Promise<void> {
  const name = url.searchParams.get('container') ?? pod.spec!.containers[0].name;
  const container = containers.get(name);
  if (!container) {
    const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400,
      message: `container "${name}" in pod "${pod.metadata!.name}" is waiting to start: ContainerCreating` });
    response.writeHead(400, { 'Content-Type': 'application/json' });
    return void response.end(text);
  }
  const sinceTime = url.searchParams.get('sinceTime');
  const options = {
    stdout: true, stderr: true, timestamps: url.searchParams.get('timestamps') === 'true',
    ...(sinceTime ? { since: Date.parse(sinceTime) / 1000 } : {}),
  };
  const demuxer = new DockerDemuxer();
  const merged = (chunk: Buffer) => Buffer.concat([...demuxer.push(chunk)].map(([, data]) => data));
  if (url.searchParams.get('follow') !== 'true') {
    const logs = await container.logs({ ...options, follow: false }) as unknown as Buffer;
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    return void response.end(merged(logs));
  }
  const stream = await container.logs({ ...options, follow: true }) as unknown as Readable;
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  response.on('close', () => stream.destroy());
  stream.on('data', (chunk: Buffer) => response.write(merged(chunk)));
  stream.on('end', () => response.end());
  stream.on('error', () => response.destroy());
}
