// Finds registry credentials as the docker CLI does: config.json's credHelpers, credsStore and auths, helpers run without a shell.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PydockError } from '../errors';
import { dockerConfigDir, readDockerConfig, readIfExists, type ReadFile } from './dockerConfig';
import { credentialServer, registryHostname } from './imageReference';

/** What dockerode sends as X-Registry-Auth. */
export interface AuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

export interface RegistryCredentials {
  /** Absent: the pull goes without credentials (anonymous). */
  auth?: AuthConfig;
  /** Where pydock looked, for messages: e.g. "the auths entry for host:5000 in /home/me/.docker/config.json". Never a secret. */
  source: string;
}

export interface HelperOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The helper could not be run at all (not on PATH, not executable). */
  error?: Error;
}

/** Runs `program args` with `input` on stdin and `env` as its environment (PATH finds it): argument arrays only, never a shell. */
export type RunHelper = (program: string, args: string[], input: string, env: NodeJS.ProcessEnv) => Promise<HelperOutput>;

export interface CredentialInputs {
  env: NodeJS.ProcessEnv;
  /** The docker CLI's config folder; default $DOCKER_CONFIG, else ~/.docker. */
  configDir?: string;
  readFile?: ReadFile;
  runHelper?: RunHelper;
}

const HELPER_TIMEOUT_MS = 60_000;

/**
 * The credentials for `registry`, in the docker CLI's order: a credHelpers entry for the host, else the credsStore,
 * else an auths entry. A helper that has nothing stored for the host means an anonymous pull, as with the CLI.
 */
export async function registryCredentials(registry: string, inputs: CredentialInputs): Promise<RegistryCredentials> {
  const dir = dockerConfigDir(inputs.env, inputs.configDir);
  const configFile = path.join(dir, 'config.json');
  const config = readDockerConfig(dir, inputs.readFile ?? readIfExists);
  const server = credentialServer(registry);
  const host = registryHostname(server);
  const helpers = objectOf(config?.credHelpers);
  const helperKey = Object.keys(helpers).find((key) => registryHostname(key) === host);
  const helper = helperKey !== undefined ? helpers[helperKey] : undefined;
  if (typeof helper === 'string' && helper) {
    return fromHelper(helper, server, `the credential helper docker-credential-${helper} (credHelpers in ${configFile})`, inputs);
  }
  if (typeof config?.credsStore === 'string' && config.credsStore) {
    return fromHelper(config.credsStore, server, `the credential store docker-credential-${config.credsStore} (credsStore in ${configFile})`, inputs);
  }
  const auths = objectOf(config?.auths);
  const key = server in auths ? server : Object.keys(auths).find((k) => registryHostname(k) === host);
  const entry = key !== undefined ? objectOf(auths[key]) : {};
  const auth = fromEntry(entry, server);
  if (key === undefined || !auth) return { source: `no credentials (${config ? `${configFile} has none for ${host}` : `no ${configFile}`})` };
  return { auth, source: `the auths entry for ${key} in ${configFile}` };
}

/** An auths entry: base64 "user:password" in `auth`, or username and password fields, or an identity token. */
function fromEntry(entry: Record<string, unknown>, server: string): AuthConfig | undefined {
  const text = (name: string) => (typeof entry[name] === 'string' ? entry[name] as string : undefined);
  if (text('identitytoken')) return { identitytoken: text('identitytoken'), serveraddress: server };
  const encoded = text('auth');
  if (encoded) {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: server };
  }
  if (text('username') && text('password')) return { username: text('username'), password: text('password'), serveraddress: server };
  return undefined;
}

/** `docker-credential-NAME get`, the server on stdin: {ServerURL, Username, Secret}; Username "<token>" means an identity token. */
async function fromHelper(name: string, server: string, source: string, inputs: CredentialInputs): Promise<RegistryCredentials> {
  const program = `docker-credential-${name}`;
  const output = await (inputs.runHelper ?? runHelper)(program, ['get'], server, inputs.env);
  if (output.error) {
    throw new PydockError('pull-failed', `Cannot get the credentials for ${registryHostname(server)} from ${source}: ${output.error.message}.`,
      `Install ${program} on the PATH, or remove the entry from config.json ("docker login" then writes to auths).`);
  }
  if (output.code !== 0) {
    const said = (output.stdout.trim() || output.stderr.trim()).split('\n')[0];
    if (/credentials not found/i.test(said)) return { source: `${source}, which has no credentials for ${registryHostname(server)}` };
    const ended = output.code === null ? `it did not finish within ${HELPER_TIMEOUT_MS / 1000} s` : `it exited with code ${output.code}`;
    throw new PydockError('pull-failed', `Cannot get the credentials for ${registryHostname(server)} from ${source}: ${ended}${said ? `: ${said}` : ''}.`,
      `Check the helper ("echo ${server} | ${program} get"), or log in again with "docker login ${registryHostname(server)}".`);
  }
  let reply: { Username?: unknown; Secret?: unknown };
  try {
    reply = JSON.parse(output.stdout) as typeof reply;
  } catch {
    throw new PydockError('pull-failed', `${source} answered with something other than JSON for ${registryHostname(server)}.`,
      `Check the helper ("echo ${server} | ${program} get").`);
  }
  const username = typeof reply.Username === 'string' ? reply.Username : '';
  const secret = typeof reply.Secret === 'string' ? reply.Secret : '';
  if (!secret) return { source: `${source}, which has no credentials for ${registryHostname(server)}` };
  return {
    auth: username === '<token>' ? { identitytoken: secret, serveraddress: server } : { username, password: secret, serveraddress: server },
    source,
  };
}

function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** The real helper: spawned with an argument array, the server URL written to its stdin, stopped after a minute. */
export function runHelper(program: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<HelperOutput> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: HELPER_TIMEOUT_MS, shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // a helper that exits without reading its input
    child.on('error', (error) => resolve({ code: null, stdout: '', stderr: '', error }));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.end(input);
  });
}
