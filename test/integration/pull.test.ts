// A first run on a host without the image: pulled from a real registry (Debian's docker-registry) with progress, then run;
// --pull never, a missing tag, an unreachable registry, cancelling; credentials from config.json and a helper over TLS.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApi } from '../../extension/api/api';
import type { Backend, LaunchSpec } from '../../extension/engine/launch/backend';
import { connectBackend } from '../../extension/engine/launch/backends';
import { PydockError, type ErrorCode } from '../../extension/engine/errors';
import { describeProgress, type LaunchProgress } from '../../extension/engine/launch/launchProgress';
import { Session } from '../../extension/engine/session/session';
import { startTlsDockerd, type TlsDaemon } from './daemons';
import { value } from './envSupport';
import { BARE_IMAGE, docker, freePort, requireImages, tempWorkspace, testLog } from './helpers';
import { pushUniqueImage, removeFromMainDaemon, startAuthRegistry, startRegistry, type AuthRegistry, type TestRegistry } from './registries';

before(requireImages);

type Events = LaunchProgress[];
const ofType = <T extends LaunchProgress['type']>(events: Events, type: T) => events.filter((e): e is Extract<LaunchProgress, { type: T }> => e.type === type);
const isPydockError = (code: ErrorCode, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PydockError, `expected a PydockError, got ${e}`);
  assert.equal(e.code, code, e.describe());
  assert.match(e.describe(), pattern);
  return true;
};

interface PullLaunch extends Partial<Omit<LaunchSpec, 'agent' | 'signal'>> {
  events?: Events;
  /** Read at each start, as the extension gives each start the signal its notification's Cancel aborts. */
  signal?: () => AbortSignal;
}

/** A session of `image` on `backend` (default: the main daemon); stopped when the test file ends. */
function pullSession(image: string, launch: PullLaunch = {}, backend?: () => Promise<Backend>): Session {
  const workspace = tempWorkspace();
  const { events = [], signal, ...rest } = launch;
  const session = new Session({
    name: 'pull test', log: testLog,
    backend: backend ?? (() => connectBackend({ choice: 'docker', log: testLog })),
    launch: {
      image, workspace, workspaceReadOnly: false, env: {}, memoryBytes: 1 << 30, workspaceLabel: `file://${workspace}`, sessionLabel: 'pull',
      onProgress: (event) => events.push(event), ...rest,
      get signal() { return signal?.(); },
    },
  });
  after(() => session.dispose());
  return session;
}

describe('pulling from a registry on 127.0.0.1', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(() => registry?.stop());

  it('pulls a missing image on the first run, with layer and byte progress, then runs; the digest is reported', async () => {
    const image = pushUniqueImage(registry, 2 << 20);
    const events: Events = [];
    const session = pullSession(image, { events });
    assert.equal(await value(session, '6 * 7'), 42);
    const [start] = ofType(events, 'pull-start');
    assert.deepEqual(start, { type: 'pull-start', image, registry: registry.host, credentials: start.credentials });
    assert.match(start.credentials, /^no credentials/);
    const progress = ofType(events, 'pull-progress');
    assert.ok(progress.length > 0, 'progress events while the layers come');
    const last = progress.at(-1)!;
    assert.deepEqual([last.layersDone, last.layers >= 2, last.totalBytes >= 2 << 20, last.bytes === last.totalBytes], [last.layers, true, true, true],
      `the image's layers and bytes, all done: ${JSON.stringify(last)}`);
    assert.equal(ofType(events, 'pull-done').length, 1);
    const [ready] = ofType(events, 'image-ready');
    const repository = image.replace(/:t1$/, '');
    assert.match(ready.repoDigest ?? '', new RegExp(`^${repository.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`));
    assert.deepEqual(events.map((e) => e.type).filter((t) => t !== 'pull-progress'), ['pull-start', 'pull-done', 'image-ready']);
    assert.equal(JSON.parse(docker('image', 'inspect', image))[0].Id, ready.id, 'the image the container runs is the one reported');

    // pydock.image = name@sha256:… runs exactly that image, pulled again once the host lacks it.
    await session.stop();
    removeFromMainDaemon(image);
    const pinned = pullSession(ready.repoDigest!);
    assert.equal(await value(pinned, '1 + 1'), 2);
  });

  it('with pull never, refuses a missing image, and starts once the user has pulled it', async () => {
    const image = pushUniqueImage(registry);
    const events: Events = [];
    const session = pullSession(image, { pull: 'never', events });
    await assert.rejects(session.eval('1'), isPydockError('image-missing', new RegExp(`The image ${image} is not on the Docker host unix://\\S+, and pulling is off[\\s\\S]*docker pull ${image}`)));
    assert.equal(ofType(events, 'pull-start').length, 0, 'nothing was pulled');
    docker('pull', '-q', image);
    assert.equal(await value(session, '2 + 3'), 5, 'the same session starts now');
  });

  it('says "manifest unknown" for a missing tag, naming the registry; the session starts once the tag exists', async () => {
    const pushed = pushUniqueImage(registry);
    const missing = pushed.replace(/:t1$/, ':not-pushed');
    const session = pullSession(missing);
    await assert.rejects(session.eval('1'), isPydockError('manifest-unknown', new RegExp(`registry ${registry.host} has no image ${missing} \\(manifest unknown\\)`)));
    docker('pull', '-q', pushed);
    docker('tag', pushed, missing);
    docker('push', missing);
    docker('rmi', missing);
    registry.images.push(missing);
    assert.equal(await value(session, '3 + 4'), 7, 'fixed upstream: the next run pulls and starts');
  });

  it('runs a local image named by its id without asking a registry, and says it has no registry digest', async () => {
    const id = docker('image', 'inspect', '--format', '{{.Id}}', BARE_IMAGE);
    const events: Events = [];
    assert.equal(await value(pullSession(id, { events }), '1 + 1'), 2);
    assert.deepEqual(events, [{ type: 'image-ready', image: id, id }]);
    assert.match(describeProgress(events[0]), /is not from a registry \(built or loaded here\)/);
  });

  it('names an unreachable registry: nothing listening, or a name that does not resolve', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const session = pullSession(`${nowhere}/pydock-pulltest-none:1`);
    await assert.rejects(session.eval('1'), isPydockError('registry-unreachable', new RegExp(`Cannot reach the registry ${nowhere} to pull .*nothing answers at its address`)));
    assert.equal(session.state, 'dead');
    // .invalid never resolves (RFC 2606), here or on a machine with internet.
    const unnamed = pullSession('registry.pydock-test.invalid/py:1');
    await assert.rejects(unnamed.eval('1'), isPydockError('registry-unreachable',
      /Cannot reach the registry registry\.pydock-test\.invalid to pull registry\.pydock-test\.invalid\/py:1: its name does not resolve \(DNS\)/));
  });

  it('pulls again with pull always, and is told the image is up to date', async () => {
    const image = pushUniqueImage(registry);
    docker('pull', '-q', image);
    const events: Events = [];
    const session = pullSession(image, { pull: 'always', events });
    assert.equal(await value(session, '1'), 1);
    assert.deepEqual(ofType(events, 'pull-done').map((e) => e.upToDate), [true]);
  });

  it('cancels a pull through the launch signal; the next start pulls afresh', async () => {
    const image = pushUniqueImage(registry, 48 << 20);
    let controller = new AbortController();
    let cancelOnProgress = true;
    const events: Events = [];
    const session = pullSession(image, {
      signal: () => controller.signal,
      onProgress: (event) => {
        events.push(event);
        if (event.type === 'pull-progress' && cancelOnProgress) controller.abort();
      },
    });
    await assert.rejects(session.eval('1'), isPydockError('cancelled', new RegExp(`The pull of ${image} was cancelled[\\s\\S]*Run the code again`)));
    assert.throws(() => docker('image', 'inspect', image), /No such image/, 'nothing half-pulled is left as the image');
    controller = new AbortController();
    cancelOnProgress = false;
    assert.equal(await value(session, '5 * 5'), 25);
    assert.equal(ofType(events, 'pull-start').length, 2);
  });

  it('pulls once for a pool whose workers start together', async () => {
    const image = pushUniqueImage(registry, 1 << 20);
    const events: Events = [];
    const api = createApi({ defaults: { backend: 'docker', image, onProgress: (event) => events.push(event) } });
    after(() => api.closeAll());
    const workers = api.pool({ size: 2 });
    assert.deepEqual(await workers.map('lambda x: x * 2', [1, 2, 3]), [2, 4, 6]);
    const starts = ofType(events, 'pull-start');
    assert.equal(starts.length, 2, 'both workers are told of the pull');
    assert.equal(new Set(starts).size, 1, 'one pull, whose events reach both');
  });
});

describe('pulling with credentials: a registry with htpasswd over TLS, its CA trusted by a second dockerd', () => {
  const USER = 'pydock-tester';
  const PASSWORD = 'pw-7c1e-not-logged';
  let plain: TestRegistry;
  let secured: AuthRegistry;
  let daemon: TlsDaemon;
  before(async () => {
    plain = await startRegistry();
    secured = await startAuthRegistry(plain.storage, { [USER]: PASSWORD });
    daemon = await startTlsDockerd();
    daemon.trustRegistry(secured.host, secured.caPem);
  });
  after(async () => {
    await daemon?.stop();
    await secured?.stop();
    await plain?.stop();
  });

  /** An image pushed to the plain registry, named by the secured one, which serves the same storage. */
  const securedImage = () => pushUniqueImage(plain).replace(plain.host, secured.host);

  /** A docker CLI config folder with this config.json, and a PATH that finds the test's credential helper. */
  function dockerConfig(config: object): NodeJS.ProcessEnv {
    const dir = tempWorkspace();
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    fs.mkdirSync(path.join(dir, 'bin'));
    // docker-credential-pydocktest: answers `get` for the secured registry, as credential helpers do (stdin: the server).
    fs.writeFileSync(path.join(dir, 'bin', 'docker-credential-pydocktest'), [
      '#!/usr/bin/env python3',
      'import json, sys',
      'server = sys.stdin.read().strip()',
      `if sys.argv[1:] != ["get"] or server != ${JSON.stringify(secured.host)}:`,
      '    print("credentials not found in native keychain"); sys.exit(1)',
      `print(json.dumps({"ServerURL": server, "Username": ${JSON.stringify(USER)}, "Secret": ${JSON.stringify(PASSWORD)}}))`,
      '',
    ].join('\n'), { mode: 0o755 });
    return { ...process.env, DOCKER_CONFIG: dir, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
  }
  const basic = (password: string) => ({ auths: { [secured.host]: { auth: Buffer.from(`${USER}:${password}`).toString('base64') } } });
  const onDaemon = (env: NodeJS.ProcessEnv) => () => connectBackend({ choice: 'docker', dockerHost: daemon.socketUrl, env, log: testLog });

  it('uses an auths entry of config.json, and never logs the password', async () => {
    const image = securedImage();
    const events: Events = [];
    const session = pullSession(image, { events }, onDaemon(dockerConfig(basic(PASSWORD))));
    assert.equal(await value(session, '"pulled with " + "auths"'), 'pulled with auths');
    assert.match(ofType(events, 'pull-start')[0].credentials, new RegExp(`^the auths entry for ${secured.host.replace(/\./g, '\\.')} in .*config\\.json$`));
    assert.ok(!JSON.stringify(events).includes(PASSWORD) && !testLog.lines.join('\n').includes(PASSWORD), 'the password appears nowhere');
  });

  it('asks docker-credential-pydocktest on the PATH when credHelpers names it', async () => {
    const image = securedImage();
    const events: Events = [];
    const session = pullSession(image, { events }, onDaemon(dockerConfig({ credHelpers: { [secured.host]: 'pydocktest' } })));
    assert.equal(await value(session, '"pulled with " + "a helper"'), 'pulled with a helper');
    assert.match(ofType(events, 'pull-start')[0].credentials, /^the credential helper docker-credential-pydocktest \(credHelpers in .*config\.json\)$/);
  });

  it('sends the same credentials to a remote daemon (tcp with TLS)', async () => {
    const image = securedImage();
    const env = { ...dockerConfig(basic(PASSWORD)), DOCKER_HOST: daemon.tcpUrl, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: daemon.certDir };
    const session = pullSession(image, {}, () => connectBackend({ choice: 'docker', env, log: testLog }));
    assert.equal(await value(session, '__import__("os").path.exists("/pydock-unique")'), true);
  });

  it('names the registry and the credential source on a 401, and starts once the password is right', async () => {
    const image = securedImage();
    const env = dockerConfig(basic('wrong-password'));
    const session = pullSession(image, {}, onDaemon(env));
    await assert.rejects(session.eval('1'), isPydockError('registry-unauthorized',
      new RegExp(`The registry ${secured.host.replace(/\./g, '\\.')} refused to let ${image.replace(/\./g, '\\.')} be pulled \\(tried the auths entry for ${secured.host.replace(/\./g, '\\.')} in .*config\\.json\\): unauthorized`)));
    const anonymous = pullSession(image, {}, onDaemon(dockerConfig({})));
    await assert.rejects(anonymous.eval('1'), isPydockError('registry-unauthorized', /tried no credentials \(.*config\.json has none for .*\): .*no basic auth credentials/));
    fs.writeFileSync(path.join(env.DOCKER_CONFIG!, 'config.json'), JSON.stringify(basic(PASSWORD)));
    assert.equal(await value(session, '8 * 8'), 64, 'the fixed config.json is read at the next start');
  });

  it('gives a Dockerfile build the credentials of the registries its FROM lines name', async () => {
    const image = securedImage();
    const workspace = tempWorkspace();
    fs.writeFileSync(path.join(workspace, 'Dockerfile'), `FROM ${image}\nRUN echo built > /pydock-built\n`);
    const build = { workspace, dockerfile: { file: path.join(workspace, 'Dockerfile'), context: workspace }, pipArgs: [] };
    const anonymous = pullSession(BARE_IMAGE, { workspace, build }, onDaemon(dockerConfig({})));
    await assert.rejects(anonymous.eval('1'), isPydockError('build-failed', /no basic auth credentials|unauthorized/));
    const events: Events = [];
    const session = pullSession(BARE_IMAGE, { workspace, build, events }, onDaemon(dockerConfig(basic(PASSWORD))));
    assert.equal(await value(session, 'open("/pydock-built").read().strip()'), 'built');
    assert.ok(ofType(events, 'build-done').some((e) => e.built), 'it was built, its base pulled with the auths entry');
  });

  it('names a TLS failure: the main dockerd does not trust the registry\'s CA', async () => {
    const image = securedImage();
    const session = pullSession(image, {}, () => connectBackend({ choice: 'docker', env: dockerConfig(basic(PASSWORD)), log: testLog }));
    await assert.rejects(session.eval('1'), isPydockError('registry-tls',
      new RegExp(`TLS connection to the registry ${secured.host.replace(/\./g, '\\.')} failed: .*x509: certificate signed by unknown authority[\\s\\S]*certs\\.d/${secured.host.replace(/\./g, '\\.')}/ca\\.crt`)));
  });
});
