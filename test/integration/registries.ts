// Image registries for pull tests (Debian's docker-registry): a plain one on 127.0.0.1, one with htpasswd over TLS, and
// test images pushed there under repository names of their own, never left on the host.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { testCertificateAuthority } from './daemons';
import { BARE_IMAGE, docker, freePort } from './helpers';

export interface TestRegistry {
  /** host:port, as image references name it. */
  host: string;
  /** Where it keeps its blobs: a second registry can serve the same images. */
  storage: string;
  /** Images of this registry that tests may pull onto the main daemon: stop() removes them there. */
  readonly images: string[];
  /** Ends the registry, removes its storage and the images above (after the sessions of the tests are gone). */
  stop(): Promise<void>;
}

export interface AuthRegistry extends TestRegistry {
  /** The certificate authority its certificate comes from, for the daemon that should trust it. */
  caPem: string;
}

/**
 * A registry on 127.0.0.1 without TLS or auth: dockerd treats 127.0.0.0/8 as an insecure registry, so it pulls over
 * plain HTTP there. stop() ends it and removes its storage.
 */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-registry-'));
  const storage = path.join(dir, 'data');
  const host = `127.0.0.1:${await freePort()}`;
  const registry = await serve(dir, host, `storage:\n  filesystem:\n    rootdirectory: ${storage}\n`);
  const images: string[] = [];
  return {
    host, storage, images,
    stop: async () => {
      try {
        for (const image of images) removeFromMainDaemon(image);
      } finally {
        await registry.stop();
      }
    },
  };
}

/**
 * A registry that wants a user and password (htpasswd, bcrypt) over TLS, serving `storage`. Loopback addresses are
 * insecure registries to dockerd (it would skip verifying the certificate), so it listens on an address of its own, on
 * a bridge made for it; its certificate comes from a CA made here, which no daemon trusts until a test puts it in
 * that daemon's certs.d.
 */
export async function startAuthRegistry(storage: string, users: Record<string, string>): Promise<AuthRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-registry-'));
  const bridge = `pydock-r${randomBytes(3).toString('hex')}`;
  const address = `10.215.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `${address}/32`, 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const removeBridge = () => execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
  try {
    testCertificateAuthority(dir, 'pydock-test-registry-ca')('server', `subjectAltName=IP:${address}\nextendedKeyUsage=serverAuth\n`);
    const caPem = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    const htpasswd = Object.entries(users).map(([user, password]) => execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim());
    fs.writeFileSync(path.join(dir, 'htpasswd'), `${htpasswd.join('\n')}\n`);
    const host = `${address}:${await freePort()}`;
    const registry = await serve(dir, host, [
      `storage:\n  filesystem:\n    rootdirectory: ${storage}\n`,
      `auth:\n  htpasswd:\n    realm: pydock-test\n    path: ${path.join(dir, 'htpasswd')}\n`,
    ].join(''), { certificate: path.join(dir, 'server-cert.pem'), key: path.join(dir, 'server-key.pem'), ca: path.join(dir, 'ca.pem') });
    const images: string[] = [];
    return {
      host, storage, caPem, images,
      stop: async () => {
        try {
          for (const image of images) removeFromMainDaemon(image);
        } finally {
          await registry.stop();
          removeBridge();
        }
      },
    };
  } catch (error) {
    removeBridge();
    throw error;
  }
}

/**
 * Builds an image of its own (the bare image plus `bytes` of random data, so the pull has a layer to fetch), pushes it
 * to the registry under a unique repository and removes the local copy: the host lacks it, as a new user's does.
 * Whatever of it tests pull back onto the main daemon goes when the registry stops.
 */
export function pushUniqueImage(registry: TestRegistry, bytes = 4096, layers: Layers = 'on-the-bare-image'): string {
  const image = `${registry.host}/pydock-pulltest-${randomBytes(4).toString('hex')}:t1`;
  registry.images.push(image);
  pushNewVersion(image, bytes, layers);
  return image;
}

/**
 * 'on-the-bare-image' shares the bare image's layer, which the host has: a pull fetches only the new bytes.
 * 'all-new' copies its files into a layer of its own: a pull fetches and extracts a whole Python, as a new user's does.
 */
export type Layers = 'on-the-bare-image' | 'all-new';

/** Pushes new content under the image's name (a new version of the tag upstream), leaving the host's copy as it was. */
export function pushNewVersion(image: string, bytes = 4096, layers: Layers = 'on-the-bare-image'): void {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-pushed-'));
  let before: string | undefined;
  try {
    before = docker('image', 'inspect', '--format', '{{.Id}}', image);
  } catch {
    before = undefined; // the host does not have it
  }
  try {
    fs.writeFileSync(path.join(context, 'unique'), randomBytes(bytes));
    const base = layers === 'all-new' ? `FROM scratch\nCOPY --from=${BARE_IMAGE} / /\n` : `FROM ${BARE_IMAGE}\n`;
    fs.writeFileSync(path.join(context, 'Dockerfile'), `${base}COPY unique /pydock-unique\n`);
    execFileSync('docker', ['build', '-q', '-t', image, context], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    docker('push', image);
    docker('rmi', image);
    if (before) docker('tag', before, image);
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

/**
 * Removes the images of the image's repository from the main daemon, however a test pulled them (by tag or by digest).
 * The repository is unique to the test run, so its image ids are nobody else's.
 */
export function removeFromMainDaemon(image: string): void {
  const repository = image.replace(/@.*$/, '').replace(/:[^:/]+$/, '');
  const ids = docker('images', '--digests', '--format', '{{.ID}}', repository).split('\n').filter(Boolean);
  if (ids.length) docker('rmi', '-f', ...new Set(ids));
}

async function serve(dir: string, host: string, storageAndAuth: string, tls?: { certificate: string; key: string; ca: string }): Promise<{ stop(): Promise<void> }> {
  const http = `http:\n  addr: ${host}\n${tls ? `  tls:\n    certificate: ${tls.certificate}\n    key: ${tls.key}\n` : ''}`;
  fs.writeFileSync(path.join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: warn\n${storageAndAuth}${http}`);
  const child: ChildProcess = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')],
    { stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'registry.log'), 'w')] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `${tls ? 'https' : 'http'}://${host}/v2/`;
  const ca = tls && fs.readFileSync(tls.ca);
  for (const deadline = Date.now() + 15_000; !(await answers(url, ca || undefined));) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`the registry at ${host} did not answer within 15 s (log: ${dir}/registry.log)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { stop };
}

/** Whether the registry answers its /v2/ endpoint at all (401 counts: it is up). */
function answers(url: string, ca?: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const request = (url.startsWith('https') ? https : http).get(url, { ...(ca ? { ca } : {}), timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 || response.statusCode === 401);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}
