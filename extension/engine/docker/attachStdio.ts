// Opens a container's stdin, stdout and stderr as one hijacked stream, in a way both Docker and Podman accept.
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';

/**
 * dockerode's container.attach() sends its options as a JSON body, which Podman passes on to the container's stdin
 * (the agent then reads `{"str` as a frame length); without a body it sends a chunked request that Podman waits on
 * for good. An empty body with Content-Length 0, as the docker CLI sends, suits both.
 */
export function attachStdio(container: Docker.Container): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    container.modem.dial({
      path: `/containers/${container.id}/attach?`,
      method: 'POST',
      isStream: true,
      hijack: true,
      openStdin: true,
      file: Buffer.alloc(0),
      statusCodes: { 101: true, 200: true, 404: 'no such container', 500: 'server error' },
      options: { stream: true, stdin: true, stdout: true, stderr: true },
    }, (error: unknown, stream: Duplex) => (error ? reject(error) : resolve(stream)));
  });
}
