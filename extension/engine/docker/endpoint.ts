// Finds the Docker daemon the way the docker CLI does: setting, DOCKER_HOST, docker context, default socket.
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { dockerConfigDir, parseJson, readDockerConfig, readIfExists } from './dockerConfig';
import { knownHostsVerifier } from './knownHosts';

/** Connection options in the shape docker-modem takes, without depending on its types. */
export interface DockerConnection {
  socketPath?: string;
  protocol?: 'http' | 'https' | 'ssh';
  host?: string;
  port?: number;
  username?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** For ssh: the agent socket or a key file, and a check of the server's key against known_hosts. */
  sshOptions?: { agent?: string; privateKey?: Buffer; hostVerifier: (key: Buffer) => boolean };
}

export interface DockerEndpoint {
  /** The host URL as the user would write it, e.g. unix:///var/run/docker.sock. */
  url: string;
  /** Where the URL came from, for messages: setting, DOCKER_HOST, context NAME or default. */
  source: string;
  connection: DockerConnection;
}

export interface EndpointInputs {
  setting?: string;
  env: NodeJS.ProcessEnv;
  /** The docker CLI's config folder; defaults to $DOCKER_CONFIG or ~/.docker. */
  configDir?: string;
  /** Where ~/.ssh is; defaults to the user's home. */
  home?: string;
  readFile?: (file: string) => Buffer | undefined;
}

const DEFAULT_URL = 'unix:///var/run/docker.sock';

export function resolveDockerEndpoint(inputs: EndpointInputs): DockerEndpoint {
  const read = inputs.readFile ?? readIfExists;
  const ssh = () => sshContext(inputs, read); // read only for ssh:// hosts: it touches private keys
  const setting = inputs.setting?.trim();
  if (setting) return endpoint(setting, 'the pydock.docker.host setting', tlsFromEnv(inputs.env, read), ssh);
  const envHost = inputs.env.DOCKER_HOST?.trim();
  if (envHost) return endpoint(envHost, 'DOCKER_HOST', tlsFromEnv(inputs.env, read), ssh);
  const configDir = dockerConfigDir(inputs.env, inputs.configDir);
  const context = inputs.env.DOCKER_CONTEXT?.trim() || currentContext(configDir, read);
  if (context && context !== 'default') {
    const id = createHash('sha256').update(context).digest('hex');
    const meta = parseJson(read(path.join(configDir, 'contexts', 'meta', id, 'meta.json')));
    const docker = (meta?.Endpoints as Record<string, { Host?: string; SkipTLSVerify?: boolean }> | undefined)?.docker;
    if (!docker?.Host) throw new Error(`docker context "${context}" was not found in ${configDir}/contexts; run "docker context ls" to see the contexts`);
    const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
    return endpoint(docker.Host, `docker context "${context}"`, tlsFiles(tlsDir, read), ssh);
  }
  return endpoint(DEFAULT_URL, 'the default socket', {}, ssh);
}

/** What ssh would use: the agent, else the first default key file; and known_hosts to check the server with. */
interface SshContext { agent?: string; privateKey?: Buffer; knownHosts: string }

function sshContext(inputs: EndpointInputs, read: (file: string) => Buffer | undefined): SshContext {
  const dir = path.join(inputs.home ?? os.homedir(), '.ssh');
  const agent = inputs.env.SSH_AUTH_SOCK;
  const privateKey = agent ? undefined : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => read(path.join(dir, f))).find(Boolean);
  return { ...(agent ? { agent } : {}), ...(privateKey ? { privateKey } : {}), knownHosts: read(path.join(dir, 'known_hosts'))?.toString('utf8') ?? '' };
}

function endpoint(url: string, source: string, tls: Pick<DockerConnection, 'ca' | 'cert' | 'key'>, ssh: () => SshContext): DockerEndpoint {
  const parsed = new URL(url.includes('://') ? url : `tcp://${url}`);
  switch (parsed.protocol) {
    case 'unix:':
      return { url, source, connection: { socketPath: decodeURIComponent(parsed.pathname) } };
    case 'npipe:':
      return { url, source, connection: { socketPath: `//./pipe/${parsed.pathname.replace(/^\/+(\.\/pipe\/)?/, '')}` } };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const secure = parsed.protocol === 'https:' || tls.cert !== undefined || tls.ca !== undefined;
      const port = Number(parsed.port) || (secure ? 2376 : 2375);
      return { url, source, connection: { protocol: secure ? 'https' : 'http', host: parsed.hostname, port, ...tls } };
    }
    case 'ssh:': {
      const port = Number(parsed.port) || 22;
      const { knownHosts, ...credentials } = ssh();
      return {
        url, source,
        connection: {
          protocol: 'ssh', host: parsed.hostname, port, ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
          sshOptions: { ...credentials, hostVerifier: knownHostsVerifier(knownHosts, parsed.hostname, port) },
        },
      };
    }
    default:
      throw new Error(`unsupported Docker host "${url}" from ${source}: use unix://, tcp://, ssh:// or npipe://`);
  }
}

function tlsFromEnv(env: NodeJS.ProcessEnv, read: (file: string) => Buffer | undefined): Pick<DockerConnection, 'ca' | 'cert' | 'key'> {
  if (!env.DOCKER_TLS_VERIFY && !env.DOCKER_CERT_PATH) return {};
  return tlsFiles(env.DOCKER_CERT_PATH ?? path.join(os.homedir(), '.docker'), read);
}

function tlsFiles(dir: string, read: (file: string) => Buffer | undefined): Pick<DockerConnection, 'ca' | 'cert' | 'key'> {
  const out: Pick<DockerConnection, 'ca' | 'cert' | 'key'> = {};
  for (const name of ['ca', 'cert', 'key'] as const) {
    const bytes = read(path.join(dir, `${name}.pem`));
    if (bytes) out[name] = bytes;
  }
  return out;
}

function currentContext(configDir: string, read: (file: string) => Buffer | undefined): string | undefined {
  const value = readDockerConfig(configDir, read)?.currentContext;
  return typeof value === 'string' ? value : undefined;
}
