// The walkthrough's choice of environment, as written to .pydock/environment.json: valid, and nothing but the image changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveEnvironment, type EnvironmentDescription } from '../../extension/engine/launch/environment';
import { chooseEnvironment } from '../../extension/engine/launch/environmentChoice';

const resolve = (file: EnvironmentDescription) => resolveEnvironment({ settings: {}, file, workspace: '/ws', host: { uid: 1000, gid: 1000 } }).launch;

describe('chooseEnvironment', () => {
  const existing: EnvironmentDescription = { dockerfile: 'Dockerfile', context: '.', network: 'none', memory: '2g', env: { A: '1' } };

  it('replaces the image fields and keeps the rest', () => {
    assert.deepEqual(chooseEnvironment(existing, { kind: 'image', image: 'python:3.12-slim' }),
      { image: 'python:3.12-slim', network: 'none', memory: '2g', env: { A: '1' } });
    assert.deepEqual(chooseEnvironment(existing, { kind: 'python', version: '3.11' }), { python: '3.11', network: 'none', memory: '2g', env: { A: '1' } });
    assert.deepEqual(chooseEnvironment(undefined, { kind: 'dockerfile', file: 'env/Dockerfile' }), { dockerfile: 'env/Dockerfile' });
  });

  it('installs requirements on the base the file already names, with its pip options', () => {
    assert.deepEqual(chooseEnvironment({ python: '3.10', pipArgs: ['--no-index'] }, { kind: 'requirements', file: 'requirements.txt' }),
      { python: '3.10', requirements: 'requirements.txt', pipArgs: ['--no-index'] });
    assert.deepEqual(chooseEnvironment(existing, { kind: 'requirements', file: 'requirements.txt' }),
      { requirements: 'requirements.txt', network: 'none', memory: '2g', env: { A: '1' } }, 'a Dockerfile is no base for it: the default image is');
  });

  it('always writes a file the schema accepts', () => {
    const pinned = `registry.example.com/py@sha256:${'0'.repeat(64)}`;
    for (const choice of [{ kind: 'image', image: pinned }, { kind: 'python', version: '3.9' }, { kind: 'requirements', file: 'r.txt' }, { kind: 'dockerfile', file: 'Dockerfile' }] as const) {
      const launch = resolve(chooseEnvironment(existing, choice));
      assert.ok(launch.image, JSON.stringify(choice));
    }
    assert.equal(resolve(chooseEnvironment(undefined, { kind: 'image', image: pinned })).image, pinned, 'pydock.image may pin a digest');
  });
});
