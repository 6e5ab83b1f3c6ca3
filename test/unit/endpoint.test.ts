// Docker endpoint resolution as the docker CLI does it: setting, DOCKER_HOST with TLS, contexts, default.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { resolveDockerEndpoint } from '../../extension/engine/docker/endpoint';
import { knownHostKeys } from '../../extension/engine/docker/knownHosts';

const files = (entries: Record<string, string>) => (file: string) => (file in entries ? Buffer.from(entries[file]) : undefined);

describe('resolveDockerEndpoint', () => {
  it('defaults to the local socket', () => {
    const e = resolveDockerEndpoint({ env: {}, configDir: '/cfg', readFile: files({}) });
    assert.deepEqual(e.connection, { socketPath: '/var/run/docker.sock' });
  });

  it('prefers the setting over DOCKER_HOST', () => {
    const e = resolveDockerEndpoint({ setting: 'unix:///tmp/d.sock', env: { DOCKER_HOST: 'tcp://x:1' }, readFile: files({}) });
    assert.deepEqual([e.connection, e.source], [{ socketPath: '/tmp/d.sock' }, 'the pydock.docker.host setting']);
  });

  it('reads tcp DOCKER_HOST, with TLS files from DOCKER_CERT_PATH', () => {
    assert.deepEqual(resolveDockerEndpoint({ env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, readFile: files({}) }).connection,
      { protocol: 'http', host: '127.0.0.1', port: 2375 });
    const tls = resolveDockerEndpoint({
      env: { DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      readFile: files({ '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' }),
    }).connection;
    assert.deepEqual([tls.protocol, tls.host, tls.port, String(tls.ca), String(tls.cert), String(tls.key)], ['https', 'remote', 2376, 'CA', 'CERT', 'KEY']);
  });

  it('reads ssh hosts, with the agent or a default key, and checks the server against known_hosts', () => {
    const boxKey = Buffer.from('the key of box');
    const otherKey = Buffer.from('the key of another host');
    const known = `other.example ssh-ed25519 ${otherKey.toString('base64')}\n[box]:2222 ssh-ed25519 ${boxKey.toString('base64')}\n`;
    const withAgent = resolveDockerEndpoint({ env: { DOCKER_HOST: 'ssh://me@box:2222', SSH_AUTH_SOCK: '/tmp/agent.sock' }, home: '/h',
      readFile: files({ '/h/.ssh/known_hosts': known, '/h/.ssh/id_rsa': 'KEY' }) }).connection;
    assert.deepEqual([withAgent.protocol, withAgent.host, withAgent.port, withAgent.username], ['ssh', 'box', 2222, 'me']);
    assert.equal(withAgent.sshOptions?.agent, '/tmp/agent.sock');
    assert.equal(withAgent.sshOptions?.privateKey, undefined, 'the agent is used when there is one');
    assert.equal(withAgent.sshOptions?.hostVerifier(boxKey), true);
    assert.equal(withAgent.sshOptions?.hostVerifier(otherKey), false, "another host's key is refused");
    const withKey = resolveDockerEndpoint({ env: { DOCKER_HOST: 'ssh://box' }, home: '/h', readFile: files({ '/h/.ssh/id_ecdsa': 'ECDSA', '/h/.ssh/id_rsa': 'RSA' }) }).connection;
    assert.equal(String(withKey.sshOptions?.privateKey), 'ECDSA', 'the first default key file, as ssh tries them');
    assert.equal(withKey.sshOptions?.hostVerifier(boxKey), false, 'an unknown host is refused');
  });

  it('matches hashed known_hosts entries', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const hash = createHmac('sha1', salt).update('[box]:2222').digest('base64');
    assert.deepEqual(knownHostKeys(`|1|${salt.toString('base64')}|${hash} ssh-ed25519 AAAAHASHED\n`, 'box', 2222), ['AAAAHASHED']);
    assert.deepEqual(knownHostKeys('box ssh-rsa AAAAPLAIN\n', 'box', 22), ['AAAAPLAIN']);
    assert.deepEqual(knownHostKeys('box ssh-rsa AAAAPLAIN\n', 'box', 2222), [], 'a non-default port needs [host]:port');
  });

  it('follows the current docker context from config.json, and DOCKER_CONTEXT over it', () => {
    const id = (name: string) => createHash('sha256').update(name).digest('hex');
    const fs = files({
      '/cfg/config.json': JSON.stringify({ currentContext: 'remote' }),
      [`/cfg/contexts/meta/${id('remote')}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: 'tcp://ctx:2375' } } }),
      [`/cfg/contexts/meta/${id('other')}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: 'unix:///other.sock' } } }),
    });
    const current = resolveDockerEndpoint({ env: {}, configDir: '/cfg', readFile: fs });
    assert.deepEqual([current.connection.host, current.source], ['ctx', 'docker context "remote"']);
    assert.deepEqual(resolveDockerEndpoint({ env: { DOCKER_CONTEXT: 'other' }, configDir: '/cfg', readFile: fs }).connection, { socketPath: '/other.sock' });
    assert.deepEqual(resolveDockerEndpoint({ env: { DOCKER_CONTEXT: 'default' }, configDir: '/cfg', readFile: fs }).connection, { socketPath: '/var/run/docker.sock' });
  });

  it('names a missing context and a bad scheme', () => {
    assert.throws(() => resolveDockerEndpoint({ env: { DOCKER_CONTEXT: 'gone' }, configDir: '/cfg', readFile: files({}) }), /context "gone" was not found/);
    assert.throws(() => resolveDockerEndpoint({ env: { DOCKER_HOST: 'ftp://x' }, readFile: files({}) }), /unsupported Docker host/);
  });
});
