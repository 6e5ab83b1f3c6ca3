// Says why a pull failed, from the daemon's message: the registry unreachable, TLS, credentials refused, or no such image.
import { PydockError } from '../errors';

export interface PullContext {
  image: string;
  /** The registry host, e.g. docker.io or 127.0.0.1:5000. */
  registry: string;
  /** Where the credentials came from (registryCredentials' `source`), never the secret. */
  credentials: string;
  /** The Docker host that pulls, e.g. unix:///var/run/docker.sock: it resolves and reaches the registry, not pydock. */
  daemon: string;
}

const TLS = /x509:|certificate|tls: |server gave HTTP response to HTTPS client|does not look like a TLS handshake/i;
const UNAUTHORIZED = /unauthorized|authentication required|no basic auth credentials|pull access denied|requested access to the resource is denied|\b401\b/i;
const UNKNOWN = /manifest unknown|name unknown|not found: manifest|manifest for \S+ not found/i;
const UNREACHABLE = /no such host|server misbehaving|connection refused|i\/o timeout|network is unreachable|no route to host|handshake timeout|deadline exceeded|connection reset|dial tcp|\bEOF\b/i;

export function pullError(message: string, context: PullContext): PydockError {
  const { image, registry, credentials, daemon } = context;
  const said = message.trim().replace(/\.$/, '');
  if (TLS.test(said)) {
    return new PydockError('registry-tls', `Pulling ${image} failed: the TLS connection to the registry ${registry} failed: ${said}.`,
      `If ${registry} uses a certificate authority of its own, put its certificate at /etc/docker/certs.d/${registry}/ca.crt on the Docker host (${daemon}); ` +
      'otherwise ask the registry\'s administrator for a certificate the host trusts.');
  }
  if (UNAUTHORIZED.test(said)) {
    return new PydockError('registry-unauthorized', `The registry ${registry} refused to let ${image} be pulled (tried ${credentials}): ${said}.`,
      `Log in with "docker login ${registry}" (pydock reads the docker CLI's credentials), or check that the image exists and your account may pull it.`);
  }
  if (UNKNOWN.test(said)) {
    return new PydockError('manifest-unknown', `The registry ${registry} has no image ${image} (manifest unknown): ${said}.`,
      'Check the repository name and the tag or digest, e.g. with the registry\'s web page or "docker manifest inspect", then run again.');
  }
  if (UNREACHABLE.test(said)) {
    const cause = /no such host|server misbehaving/i.test(said) ? 'its name does not resolve (DNS)'
      : /connection refused/i.test(said) ? 'nothing answers at its address' : 'the network did not get through';
    return new PydockError('registry-unreachable', `Cannot reach the registry ${registry} to pull ${image}: ${cause}: ${said}.`,
      `The Docker host (${daemon}) pulls, so check its network, DNS and proxy settings and the registry's address; ` +
      `or get the image another way ("docker load") and run with pulling off.`);
  }
  return new PydockError('pull-failed', `Pulling ${image} from ${registry} failed: ${said}.`,
    `Try "docker pull ${image}" on the Docker host (${daemon}) to see more.`);
}
