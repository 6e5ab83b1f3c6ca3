// Session environments against a real dockerd: derived images from requirements and Dockerfiles, networks, /io, read-only root, user, secrets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import type { LaunchProgress } from '../../extension/engine/launch/launchProgress';
import type { Session } from '../../extension/engine/session/session';
import { envSession, removeBuiltImages, value, writeTinyPackage } from './envSupport';
import { BARE_IMAGE, FULL_IMAGE, docker, requireImages, tempWorkspace, testLog } from './helpers';

before(requireImages);

const builds = (progress: LaunchProgress[]) => progress.filter((e) => e.type === 'build-start' || e.type === 'build-step');
const doneOf = (progress: LaunchProgress[]) => progress.find((e): e is Extract<LaunchProgress, { type: 'build-done' }> => e.type === 'build-done');

describe('derived images from requirements', () => {
  const progress: LaunchProgress[] = [];
  after(() => removeBuiltImages(progress));

  it('builds an image from a local package once, imports it, and reuses the image on the next start without a build', async () => {
    const ws = tempWorkspace();
    writeTinyPackage(path.join(ws, 'pkg'));
    // A line of its own per run, so Docker's layer cache cannot stand in for the build under test.
    fs.writeFileSync(path.join(ws, 'requirements.txt'), `--no-index\n./pkg\n# run ${randomBytes(6).toString('hex')}\n`);
    const file = { image: FULL_IMAGE, requirements: 'requirements.txt', pipArgs: ['--no-build-isolation'] };

    const first = envSession(ws, file);
    assert.equal(await value(first.session, '__import__("pydocktiny").ANSWER'), 42);
    progress.push(...first.progress);
    const built = doneOf(first.progress);
    assert.ok(built?.built, `the first start builds: ${JSON.stringify(first.progress.slice(-3))}`);
    assert.match(built.image, /^pydock-env\/[0-9a-f]{12}:[0-9a-f]{16}$/);
    assert.ok(first.progress.some((e) => e.type === 'build-step' && /pip/.test(e.instruction)), 'build steps stream as progress');
    assert.ok(first.progress.some((e) => e.type === 'build-output' && /Successfully installed pydocktiny/.test(e.line)), 'pip output streams as progress');
    const imageId = docker('image', 'inspect', '-f', '{{.Id}}', built.image);
    await first.session.stop();

    const second = envSession(ws, file);
    assert.equal(await value(second.session, '__import__("pydocktiny").ANSWER'), 42);
    assert.deepEqual(builds(second.progress), [], 'the second start builds nothing');
    assert.deepEqual(doneOf(second.progress), { type: 'build-done', image: built.image, built: false, ms: 0 });
    assert.equal(docker('image', 'inspect', '-f', '{{.Id}}', built.image), imageId, 'the same image, not a rebuild');
    await second.session.stop();

    writeTinyPackage(path.join(ws, 'pkg'), 43); // a changed local package is a new image
    const third = envSession(ws, file);
    assert.equal(await value(third.session, '__import__("pydocktiny").ANSWER'), 43);
    progress.push(...third.progress);
    assert.notEqual(doneOf(third.progress)?.image, built.image, 'changed inputs give a new tag');
  });

  it('builds from a Dockerfile, sending the context without what its .dockerignore names', async () => {
    const ws = tempWorkspace();
    fs.writeFileSync(path.join(ws, 'Dockerfile'), `FROM ${BARE_IMAGE}\nCOPY . /ctx\n`);
    fs.writeFileSync(path.join(ws, '.dockerignore'), '# not for the image\nsecret.env\ndata/\n!data/keep.csv\n');
    fs.mkdirSync(path.join(ws, 'data'));
    for (const name of ['keep.txt', 'secret.env', 'data/big.bin', 'data/keep.csv']) fs.writeFileSync(path.join(ws, name), name);
    const { session, progress: events } = envSession(ws, { dockerfile: 'Dockerfile' });
    const sent = await value(session, '(lambda os: sorted(os.path.relpath(os.path.join(d, f), "/ctx") for d, _, files in os.walk("/ctx") for f in files))(__import__("os"))');
    progress.push(...events);
    assert.ok(doneOf(events)?.built, 'the Dockerfile was built');
    assert.deepEqual(sent, ['.dockerignore', 'Dockerfile', 'data/keep.csv', 'keep.txt']);
  });

  it('reports a requirement pip cannot find with pip\'s own error line', async () => {
    const ws = tempWorkspace();
    const { session, progress: events } = envSession(ws, { image: FULL_IMAGE, requirements: ['--no-index', 'pydock-no-such-package==1.0'] });
    progress.push(...events);
    await assert.rejects(session.eval('1'), (error: unknown) => {
      assert.ok(error instanceof PydockError && error.code === 'build-failed', `expected build-failed, got ${error}`);
      assert.match(error.message, /ERROR: No matching distribution found for pydock-no-such-package==1\.0/);
      assert.match(error.detail, /ERROR: Could not find a version that satisfies the requirement/);
      return true;
    });
    assert.equal(session.state, 'dead');
  });

  it('names the requirements line whose local path does not exist, before building', async () => {
    const ws = tempWorkspace();
    fs.writeFileSync(path.join(ws, 'requirements.txt'), 'numpy\n./missing-pkg\n');
    const { session, progress: events } = envSession(ws, { image: FULL_IMAGE, requirements: 'requirements.txt' });
    await assert.rejects(session.eval('1'), /requirements.txt line 2: \.\/missing-pkg does not exist/);
    assert.deepEqual(builds(events), [], 'nothing was sent to Docker');
  });
});

describe('networks', () => {
  const suffix = randomBytes(3).toString('hex');
  const network = `pydock-test-net-${suffix}`;
  const server = `pydock-test-web-${suffix}`;
  let serverIp = '';
  before(() => {
    docker('network', 'create', network);
    docker('run', '-d', '--name', server, '--network', 'bridge', BARE_IMAGE, 'python3', '-m', 'http.server', '8000');
    docker('network', 'connect', '--alias', 'web', network, server);
    serverIp = docker('inspect', '-f', '{{.NetworkSettings.Networks.bridge.IPAddress}}', server);
  });
  after(() => {
    execFileSync('docker', ['rm', '-f', server], { stdio: 'ignore' });
    execFileSync('docker', ['network', 'rm', network], { stdio: 'ignore' });
  });
  /** Connects from the session to host:8000, retrying for `patience` seconds while the server starts; says how it went. */
  const probe = async (session: Session, host: string, patience = 10): Promise<string> => {
    await session.exec([
      'import socket, time',
      'def probe(host, patience):',
      '    deadline = time.time() + patience',
      '    while True:',
      '        try:',
      '            socket.create_connection((host, 8000), timeout=1).close()',
      '            return "connected"',
      '        except OSError as error:',
      '            if time.time() > deadline: return f"failed: {error}"',
      '            time.sleep(0.1)',
    ].join('\n'));
    return (await value(session, `probe(${JSON.stringify(host)}, ${patience})`)) as string;
  };

  it('reaches another container on the bridge by default, and cannot with network none', async () => {
    const bridged = envSession(tempWorkspace(), { image: BARE_IMAGE });
    assert.equal(await probe(bridged.session, serverIp), 'connected', 'the server answers on the bridge (the control)');
    const sandboxed = envSession(tempWorkspace(), { image: BARE_IMAGE, network: 'none' });
    const outcome = await probe(sandboxed.session, serverIp, 1); // the server is up: the control just reached it
    assert.match(outcome, /^failed: .*(unreachable|Errno)/i, `network none must not connect: ${outcome}`);
  });

  it('reaches a container on a named network by its alias', async () => {
    const named = envSession(tempWorkspace(), { image: BARE_IMAGE, network });
    assert.equal(await probe(named.session, 'web'), 'connected');
  });
});

describe('mounts, root filesystem and user', () => {
  it('mounts a workspace folder at /io: what Python writes there is on the host', async () => {
    const ws = tempWorkspace();
    const { session } = envSession(ws, { image: BARE_IMAGE, io: 'io' });
    await session.exec('open("/io/result.csv", "w").write("a,b\\n1,2\\n")');
    assert.equal(fs.readFileSync(path.join(ws, 'io', 'result.csv'), 'utf8'), 'a,b\n1,2\n');
  });

  it('runs with a read-only root: the agent starts, / refuses writes, /tmp and /workspace take them', async () => {
    const ws = tempWorkspace();
    const { session } = envSession(ws, { image: FULL_IMAGE, readOnlyRoot: true });
    await session.exec([
      'import errno, os',
      'try:',
      '    open("/etc/pydock-test", "w")',
      '    root = "writable"',
      'except OSError as e:',
      '    root = errno.errorcode[e.errno]',
      'open("/tmp/scratch", "w").write("ok")',
      'open("/workspace/kept.txt", "w").write("kept")',
    ].join('\n'));
    assert.equal(await value(session, 'root'), 'EROFS');
    assert.equal(await value(session, '__import__("pandas").__name__'), 'pandas', 'imports work from a read-only root');
    assert.equal(fs.readFileSync(path.join(ws, 'kept.txt'), 'utf8'), 'kept');
    const id = /container ([0-9a-f]{12})/.exec(session.description)![1];
    assert.equal(docker('inspect', '-f', '{{.HostConfig.ReadonlyRootfs}}', id), 'true');
  });

  it('runs as the host user, not root, so files written to /workspace belong to that user on the host', async () => {
    const ws = tempWorkspace();
    const hostUser = { uid: 4321, gid: 4322 };
    fs.chownSync(ws, hostUser.uid, hostUser.gid); // the user's own workspace folder
    const { session } = envSession(ws, { image: BARE_IMAGE }, { host: hostUser });
    assert.deepEqual(await value(session, '__import__("os").getuid(), __import__("os").getgid()'), [4321, 4322]);
    await session.exec('open("/workspace/mine.txt", "w").write("mine")');
    const stat = fs.statSync(path.join(ws, 'mine.txt'));
    assert.deepEqual([stat.uid, stat.gid], [4321, 4322], 'owned by the host user');
    assert.equal(await value(session, '__import__("os").environ["HOME"]'), '/tmp');
  });
});

describe('secrets', () => {
  it('passes env values to Python but never writes them to the log', async () => {
    const secret = `hunter2-${randomBytes(6).toString('hex')}`;
    const { session } = envSession(tempWorkspace(), { image: BARE_IMAGE, env: { API_TOKEN: secret } });
    assert.equal(await value(session, '__import__("os").environ["API_TOKEN"]'), secret);
    const lines = testLog.lines.filter((l) => l.includes('API_TOKEN'));
    assert.ok(lines.length > 0, 'the launch is logged with the variable\'s name');
    assert.ok(!testLog.lines.some((l) => l.includes(secret)), 'the value is in no log line');
  });
});
