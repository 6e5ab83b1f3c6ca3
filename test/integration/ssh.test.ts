// Docker over ssh, as DOCKER_HOST=ssh://user@host gives it: a private sshd on 127.0.0.1, the server's key checked
// against known_hosts, and a session that runs code in a container of the Docker daemon on the far side.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DockerBackend } from '../../extension/engine/docker/dockerBackend';
import { resolveDockerEndpoint } from '../../extension/engine/docker/endpoint';
import { PydockError } from '../../extension/engine/errors';
import { ownerId } from '../../extension/engine/launch/owner';
import { FULL_IMAGE, freePort, newSession, requireImages, tempWorkspace } from './helpers';

const SSHD = '/usr/sbin/sshd';

describe('docker over ssh', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-ssh-'));
  const home = path.join(dir, 'home');
  let sshd: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    requireImages();
    if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} is missing: run "bash scripts/setup.sh" as root (it installs openssh-server)`);
    port = await freePort();
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
    keygen(path.join(dir, 'host_key'));
    keygen(path.join(home, '.ssh', 'id_ed25519'));
    fs.copyFileSync(path.join(home, '.ssh', 'id_ed25519.pub'), path.join(dir, 'authorized_keys'));
    const hostKey = fs.readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
    fs.writeFileSync(path.join(dir, 'sshd_config'), [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', `PidFile ${path.join(dir, 'sshd.pid')}`, '',
    ].join('\n'));
    fs.mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation folder
    sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      sshd!.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (/Server listening/.test(log)) resolve();
      });
      sshd!.once('exit', (code) => reject(new Error(`sshd exited with ${code}:\n${log}`)));
    });
  });

  after(() => {
    sshd?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const backend = (knownHostsHome = home) =>
    DockerBackend.connect(resolveDockerEndpoint({ setting: `ssh://root@127.0.0.1:${port}`, env: {}, home: knownHostsHome }), ownerId());

  it('runs a session in a container of the daemon on the far side, with the workspace copied in', async () => {
    const workspace = tempWorkspace();
    fs.writeFileSync(path.join(workspace, 'input.txt'), 'from the host');
    const connected = await backend();
    const session = newSession({ name: 'ssh', backend: 'docker', image: FULL_IMAGE }, { workspace }, async () => connected);
    const outcome = await session.exec('open("input.txt").read() + " via ssh"');
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.text);
    assert.equal(outcome.value, 'from the host via ssh');
    assert.ok(session.workspaceCopy, 'an ssh host is remote: the workspace is copied in, not mounted');
  });

  it('refuses a server whose key known_hosts does not list', async () => {
    const stranger = path.join(dir, 'stranger');
    fs.mkdirSync(path.join(stranger, '.ssh'), { recursive: true });
    fs.copyFileSync(path.join(home, '.ssh', 'id_ed25519'), path.join(stranger, '.ssh', 'id_ed25519'));
    await assert.rejects(backend(stranger), (e: unknown) => e instanceof PydockError && e.code === 'daemon-unreachable' && /known_hosts/.test(e.describe()));
  });
});
