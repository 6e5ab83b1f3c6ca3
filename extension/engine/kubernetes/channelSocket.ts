// Opens a pod's attach or exec subresource as a WebSocket (v5.channel.k8s.io, falling back to v4) with the kubeconfig's credentials.
import WebSocket from 'ws';
import { PydockError } from '../errors';
import { CHANNEL_PROTOCOLS } from './channels';
import { AGENT_CONTAINER } from './podSpec';
import { kubeError } from './kubeErrors';
import type { KubeTarget } from './kubeConnect';

const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface ChannelSocket {
  socket: WebSocket;
  /** The channel protocol the server chose. */
  protocol: string;
}

/** attach: the container's stdin, stdout and stderr (the agent's by default). exec: `command` run beside it, its stdout and stderr. */
export async function openChannelSocket(kube: KubeTarget, namespace: string, pod: string, subresource: 'attach' | 'exec', command: string[] = [],
  container = AGENT_CONTAINER): Promise<ChannelSocket> {
  const query = new URLSearchParams({ container, stdin: String(subresource === 'attach'), stdout: 'true', stderr: 'true', tty: 'false' });
  for (const word of command) query.append('command', word);
  const url = `${kube.server.replace(/^http/, 'ws').replace(/\/$/, '')}/api/v1/namespaces/${namespace}/pods/${pod}/${subresource}?${query}`;
  const options: WebSocket.ClientOptions = { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false };
  await kube.config.applyToHTTPSOptions(options);
  const socket = new WebSocket(url, [...CHANNEL_PROTOCOLS], options);
  const call = { verb: 'create', resource: `pods/${subresource}`, namespace };
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
      response.on('end', () => {
        socket.terminate();
        reject(kubeError({ code: response.statusCode, body }, call, kube.server));
      });
    });
    socket.once('error', (error) => reject(new PydockError('start-failed', `Could not open ${subresource} of pod ${pod} on ${kube.server}: ${error.message}.`)));
  });
  if (!(CHANNEL_PROTOCOLS as readonly string[]).includes(socket.protocol)) {
    socket.terminate();
    throw new PydockError('start-failed', `The API server at ${kube.server} chose the channel protocol "${socket.protocol}", which pydock does not speak.`,
      `pydock needs ${CHANNEL_PROTOCOLS.join(' or ')} (Kubernetes 1.4 and newer).`);
  }
  return { socket, protocol: socket.protocol };
}

/** Sends one message and resolves once it is written to the socket. */
export function channelSend(socket: WebSocket, message: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.send(message, (error) => (error ? reject(error) : resolve())));
}
