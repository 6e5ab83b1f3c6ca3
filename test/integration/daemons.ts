// Extra Docker API daemons for tests: second dockerds (restartable; one on TCP with TLS) and a Podman service; each removed after.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitFor } from './helpers';

export interface TestDaemon {
  dir: string;
  /** unix:// URL of its socket, for the docker CLI. */
  socketUrl: string;
  stop(): Promise<void>;
}

export interface TlsDaemon extends TestDockerd {
  /** tcp://127.0.0.1:PORT, which requires a client certificate. */
  tcpUrl: string;
  /** Holds ca.pem, cert.pem and key.pem, as DOCKER_CERT_PATH expects. */
  certDir: string;
  /** Makes this daemon (only) trust a registry's certificate authority, through its own /etc/docker/certs.d. */
  trustRegistry(host: string, caPem: string): void;
}

export interface TestDockerd extends TestDaemon {
  /** Sends dockerd a signal: SIGSTOP freezes it (a daemon that stops answering), SIGCONT wakes it. */
  signal(signal: NodeJS.Signals): void;
  /** Ends dockerd (SIGTERM) as a service stop would, leaving its data root; restart() starts it again on it. */
  shutDown(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * A dockerd beside the main one, with its own data root, exec root and pid file, listening on a unix socket (and, with
 * `tls`, on TCP with TLS). It gets a bridge of its own and no iptables rules, so it leaves the main daemon's network
 * alone. (Never `--bridge none`: dockerd then deletes the host's docker0, which the main daemon's containers hang on.)
 * With `privateEtc` it runs in a mount namespace of its own where /etc/docker is a folder of the test's, so a registry
 * CA put in its certs.d is trusted by this daemon and not by the main one. (Not with live-restore: a restart in a new
 * namespace could not see its running containers' mounts.)
 */
async function startDockerd(dir: string, extraArgs: string[], privateEtc: boolean): Promise<TestDockerd> {
  const etcDocker = path.join(dir, 'etc-docker');
  fs.mkdirSync(path.join(etcDocker, 'certs.d'), { recursive: true });
  const socketUrl = `unix://${path.join(dir, 'docker.sock')}`;
  const bridge = `pydock-t${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `10.213.${randomBytes(1)[0]}.1/24`, 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const args = [
    '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'docker.pid'),
    '-H', socketUrl, ...extraArgs, '--bridge', bridge, '--iptables=false', '--ip-masq=false', '--cgroup-parent', 'pydock-test-dockerd',
  ];
  let child: ChildProcess;
  const start = async () => {
    // unshare runs sh, which binds the folder over /etc/docker and becomes dockerd: "$0" and "$@" are arguments, not text.
    const command = privateEtc ? ['unshare', '--mount', '--', 'sh', '-c', 'mount --bind "$0" /etc/docker && exec "$@"', etcDocker, 'dockerd'] : ['dockerd'];
    child = spawn(command[0], [...command.slice(1), ...args], { stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'dockerd.log'), 'a')] });
    await waitFor(() => answers(socketUrl), 30_000, `the second dockerd to answer (log: ${dir}/dockerd.log)`);
  };
  const daemon: TestDockerd = {
    dir, socketUrl,
    signal: (signal) => { child.kill(signal); },
    shutDown: async () => {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      await exited;
    },
    restart: start,
    stop: async () => {
      child.kill('SIGCONT');
      if (child.exitCode !== null) await start().catch(() => undefined); // to remove what runs on without it (live-restore)
      await stopDaemon(child, dir, () => removeAll(socketUrl), () => {
        // With live-restore, dockerd leaves its data root bind-mounted on itself when it ends.
        spawnSync('umount', [path.join(dir, 'data')], { stdio: 'ignore' });
      });
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    },
  };
  try {
    await start();
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}

/** A second dockerd on a unix socket; with `liveRestore`, its containers run on while it is down. */
export function startLocalDockerd(options: { liveRestore: boolean }): Promise<TestDockerd> {
  return startDockerd(fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-dockerd-')), options.liveRestore ? ['--live-restore'] : [], false);
}

/** A second dockerd that also listens on TCP with TLS, requiring a client certificate. */
export async function startTlsDockerd(): Promise<TlsDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-dockerd-'));
  const certDir = path.join(dir, 'client');
  makeCertificates(dir, certDir);
  const port = await freePort();
  const daemon = await startDockerd(dir, [
    '-H', `tcp://127.0.0.1:${port}`,
    '--tlsverify', '--tlscacert', path.join(dir, 'ca.pem'), '--tlscert', path.join(dir, 'server-cert.pem'), '--tlskey', path.join(dir, 'server-key.pem'),
  ], true);
  const trustRegistry = (host: string, caPem: string) => {
    const certs = path.join(dir, 'etc-docker', 'certs.d', host);
    fs.mkdirSync(certs, { recursive: true });
    fs.writeFileSync(path.join(certs, 'ca.crt'), caPem);
  };
  return { ...daemon, tcpUrl: `tcp://127.0.0.1:${port}`, certDir, trustRegistry };
}

/** `podman system service` on a socket of its own, with the containers.conf this sandbox needs (see ENVIRONMENT.md). */
export async function startPodman(): Promise<TestDaemon & { env: NodeJS.ProcessEnv }> {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('podman is not installed: run "bash scripts/setup.sh" as root (it installs podman and catatonit)');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-podman-'));
  // Podman's default ulimits cannot be set in this sandbox ("error setting rlimit type 7").
  fs.writeFileSync(path.join(dir, 'containers.conf'), '[containers]\ndefault_ulimits = []\n');
  const env = { ...process.env, CONTAINERS_CONF: path.join(dir, 'containers.conf') };
  const socketUrl = `unix://${path.join(dir, 'podman.sock')}`;
  const child = spawn('podman', ['system', 'service', '--time=0', socketUrl], { env, stdio: 'ignore' });
  const daemon = { dir, socketUrl, env, stop: () => stopDaemon(child, dir, async () => undefined) };
  try {
    await waitFor(() => fs.existsSync(path.join(dir, 'podman.sock')) && answers(socketUrl), 30_000, 'podman system service to answer');
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}

/** `docker save IMAGE | <load command>`, streamed without a shell. */
export async function copyImage(image: string, load: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const save = spawn('docker', ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
  const loader = spawn(load[0], load.slice(1), { env, stdio: ['pipe', 'ignore', 'inherit'] });
  save.stdout.pipe(loader.stdin);
  const [saved, loaded] = await Promise.all([exitOf(save), exitOf(loader)]);
  if (saved !== 0 || loaded !== 0) throw new Error(`copying ${image} with ${load.join(' ')} failed (save ${saved}, load ${loaded})`);
}

function makeCertificates(dir: string, clientDir: string): void {
  fs.mkdirSync(clientDir);
  const signed = testCertificateAuthority(dir, 'pydock-test-ca');
  signed('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed('client', 'extendedKeyUsage=clientAuth\n');
  fs.copyFileSync(path.join(dir, 'ca.pem'), path.join(clientDir, 'ca.pem'));
  fs.copyFileSync(path.join(dir, 'client-cert.pem'), path.join(clientDir, 'cert.pem'));
  fs.copyFileSync(path.join(dir, 'client-key.pem'), path.join(clientDir, 'key.pem'));
}

/** A certificate authority made in dir (ca.pem, ca-key.pem); the function it returns signs NAME-cert.pem with it. */
export function testCertificateAuthority(dir: string, commonName: string): (name: string, extensions: string) => void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', `/CN=${commonName}`);
  return (name, extensions) => {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}-cert.pem`, '-days', '1', '-extfile', `${name}.ext`);
  };
}

function answers(socketUrl: string): boolean {
  try {
    execFileSync('docker', ['-H', socketUrl, 'version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

async function removeAll(socketUrl: string): Promise<void> {
  const ids = execFileSync('docker', ['-H', socketUrl, 'ps', '-aq'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['-H', socketUrl, 'rm', '-f', '-v', ...ids], { stdio: 'ignore' });
}

/** Removes what is left on the daemon, ends it (SIGTERM, then SIGKILL after 20 s) and deletes its folder. */
async function stopDaemon(child: ChildProcess, dir: string, removeLeftovers: () => Promise<void>, release = () => undefined): Promise<void> {
  if (child.exitCode === null) {
    await removeLeftovers().catch(() => undefined);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  }
  release();
  fs.rmSync(dir, { recursive: true, force: true });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

