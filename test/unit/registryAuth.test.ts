// Registry credentials as the docker CLI finds them: credHelpers, then credsStore, then auths; helpers run with arguments only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import { registryCredentials, type HelperOutput, type RunHelper } from '../../extension/engine/docker/registryAuth';

const files = (entries: Record<string, unknown>) => (file: string) => (file in entries ? Buffer.from(JSON.stringify(entries[file])) : undefined);
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/** A helper that answers from a table of server -> reply, and records how it was called. */
function helpers(replies: Record<string, Partial<HelperOutput>>): RunHelper & { calls: [string, string[], string][] } {
  const calls: [string, string[], string][] = [];
  const run = async (program: string, args: string[], input: string): Promise<HelperOutput> => {
    calls.push([program, args, input]);
    return { code: 0, stdout: '', stderr: '', ...replies[`${program} ${input}`] };
  };
  return Object.assign(run, { calls });
}

describe('registryCredentials', () => {
  it('reads an auths entry (base64 user:password) from $DOCKER_CONFIG/config.json, matched by host', async () => {
    const readFile = files({ '/cfg/config.json': { auths: { 'https://reg.example:5000': { auth: basic('me', 'p:w') } } } });
    const found = await registryCredentials('reg.example:5000', { env: { DOCKER_CONFIG: '/cfg' }, readFile });
    assert.deepEqual(found, {
      auth: { username: 'me', password: 'p:w', serveraddress: 'reg.example:5000' },
      source: 'the auths entry for https://reg.example:5000 in /cfg/config.json',
    });
    assert.ok(!found.source.includes('p:w'), 'the source never carries the secret');
  });

  it('files Docker Hub under its v1 URL, and takes identity tokens', async () => {
    const readFile = files({ '/cfg/config.json': { auths: { 'https://index.docker.io/v1/': { identitytoken: 'tok' } } } });
    const found = await registryCredentials('docker.io', { env: {}, configDir: '/cfg', readFile });
    assert.deepEqual(found.auth, { identitytoken: 'tok', serveraddress: 'https://index.docker.io/v1/' });
  });

  it('goes anonymous without a config, or without an entry, and says where it looked', async () => {
    assert.deepEqual(await registryCredentials('reg:1', { env: {}, configDir: '/none', readFile: files({}) }), { source: 'no credentials (no /none/config.json)' });
    const readFile = files({ '/cfg/config.json': { auths: { 'other:1': { auth: basic('a', 'b') }, 'reg:1': {} } } });
    assert.deepEqual(await registryCredentials('reg:1', { env: {}, configDir: '/cfg', readFile }), { source: 'no credentials (/cfg/config.json has none for reg:1)' });
  });

  it('asks the credHelpers helper for its host first, with "get" and the server on stdin', async () => {
    const readFile = files({ '/cfg/config.json': { credHelpers: { 'reg:1': 'pydocktest' }, credsStore: 'desktop', auths: { 'reg:1': { auth: basic('file', 'x') } } } });
    const runHelper = helpers({ 'docker-credential-pydocktest reg:1': { stdout: JSON.stringify({ ServerURL: 'reg:1', Username: 'helped', Secret: 's3cret' }) } });
    const found = await registryCredentials('reg:1', { env: {}, configDir: '/cfg', readFile, runHelper });
    assert.deepEqual(runHelper.calls, [['docker-credential-pydocktest', ['get'], 'reg:1']]);
    assert.deepEqual(found, {
      auth: { username: 'helped', password: 's3cret', serveraddress: 'reg:1' },
      source: 'the credential helper docker-credential-pydocktest (credHelpers in /cfg/config.json)',
    });
  });

  it('uses the credsStore over auths entries (which then hold no secrets), and "<token>" as an identity token', async () => {
    const readFile = files({ '/cfg/config.json': { credsStore: 'secretservice', auths: { 'reg:1': {} } } });
    const runHelper = helpers({ 'docker-credential-secretservice reg:1': { stdout: JSON.stringify({ Username: '<token>', Secret: 'refresh' }) } });
    const found = await registryCredentials('reg:1', { env: {}, configDir: '/cfg', readFile, runHelper });
    assert.deepEqual(found.auth, { identitytoken: 'refresh', serveraddress: 'reg:1' });
    assert.match(found.source, /^the credential store docker-credential-secretservice \(credsStore in \/cfg\/config\.json\)$/);
  });

  it('pulls anonymously when the helper has nothing for the host; fails clearly when it cannot run or breaks', async () => {
    const readFile = files({ '/cfg/config.json': { credsStore: 'x' } });
    const notFound = helpers({ 'docker-credential-x reg:1': { code: 1, stdout: 'credentials not found in native keychain\n' } });
    assert.deepEqual(await registryCredentials('reg:1', { env: {}, configDir: '/cfg', readFile, runHelper: notFound }),
      { source: 'the credential store docker-credential-x (credsStore in /cfg/config.json), which has no credentials for reg:1' });
    const missing = helpers({ 'docker-credential-x reg:1': { code: null, error: new Error('spawn docker-credential-x ENOENT') } });
    await assert.rejects(registryCredentials('reg:1', { env: {}, configDir: '/cfg', readFile, runHelper: missing }),
      (e: unknown) => e instanceof PydockError && e.code === 'pull-failed' && /docker-credential-x[\s\S]*ENOENT[\s\S]*Install docker-credential-x on the PATH/.test(e.describe()));
    const broken = helpers({ 'docker-credential-x reg:1': { code: 2, stderr: 'keychain locked\n' } });
    await assert.rejects(registryCredentials('reg:1', { env: {}, configDir: '/cfg', readFile, runHelper: broken }),
      (e: unknown) => e instanceof PydockError && /exited with code 2: keychain locked/.test(e.message));
  });
});
