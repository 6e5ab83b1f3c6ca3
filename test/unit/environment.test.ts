// The environment description: schema and validator agree, fields resolve into a launch, errors name the field, secrets stay out of logs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  ENVIRONMENT_SCHEMA, resolveEnvironment, type EnvironmentDescription, type EnvironmentInputs,
} from '../../extension/engine/launch/environment';
import { readEnvironmentFile } from '../../extension/engine/launch/environmentFile';
import { PydockError } from '../../extension/engine/errors';
import { describeLaunch } from '../../extension/engine/launch/launchProgress';
import { judgeMountSource } from '../../extension/engine/launch/mountPolicy';
import { ANNOTATION_KEYWORDS, SUPPORTED_KEYWORDS, validate, type JsonSchema } from '../../extension/engine/launch/schemaValidator';

const WS = '/home/u/proj';
const resolve = (file: unknown, over: Partial<EnvironmentInputs> = {}) =>
  resolveEnvironment({ settings: {}, file, workspace: WS, host: { uid: 1000, gid: 1000 }, ...over });

/** The message of the PydockError that resolving this file throws. */
function problems(file: unknown, over: Partial<EnvironmentInputs> = {}): string {
  try {
    resolve(file, over);
  } catch (error) {
    assert.ok(error instanceof PydockError && error.code === 'invalid-environment', `expected an invalid-environment error, got ${error}`);
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(file)} to be refused`);
}

function subschemas(schema: JsonSchema): JsonSchema[] {
  const s = schema as Record<string, unknown>;
  const children = [
    ...Object.values((s.properties ?? {}) as Record<string, JsonSchema>),
    ...['items', 'not', 'propertyNames', 'additionalProperties'].map((k) => s[k]).filter((v): v is JsonSchema => typeof v === 'object'),
    ...((s.oneOf ?? []) as JsonSchema[]), ...((s.allOf ?? []) as JsonSchema[]),
  ];
  return [schema, ...children.flatMap(subschemas)];
}

const KUBERNETES_PLACEMENT = {
  namespace: 'team-a', nodeSelector: { accelerator: 'a100' }, tolerations: [{ key: 'gpu', operator: 'Exists' as const, effect: 'NoSchedule' }],
  serviceAccount: 'pydock', imagePullSecrets: ['registry'], resources: { 'nvidia.com/gpu': 1, 'example.com/fpga': '2' }, workspaceClaim: 'data',
};

describe('environment schema', () => {
  it('uses only keywords the validator understands, so the editor and pydock apply the same rules', () => {
    for (const node of subschemas(ENVIRONMENT_SCHEMA)) {
      for (const key of Object.keys(node)) {
        assert.ok(SUPPORTED_KEYWORDS.has(key) || ANNOTATION_KEYWORDS.has(key), `schema keyword "${key}" is not handled by schemaValidator.ts`);
      }
    }
  });

  it('describes every field, for completion in the editor', () => {
    const describeAll = (properties: Record<string, JsonSchema & { description?: string }>, where: string) => {
      for (const [name, field] of Object.entries(properties)) {
        assert.ok(field.description, `${where}${name} has no description`);
        if (field.items?.properties) describeAll(field.items.properties as Record<string, JsonSchema & { description?: string }>, `${where}${name}[].`);
      }
    };
    describeAll(ENVIRONMENT_SCHEMA.properties as Record<string, JsonSchema & { description?: string }>, '');
  });

  it('accepts a file using every field', () => {
    const file: Required<Omit<EnvironmentDescription, 'image' | 'python' | 'dockerfile' | 'context'>> & { dockerfile: string } = {
      dockerfile: '.pydock/Dockerfile', requirements: ['pandas>=2', './pkg'], pipArgs: ['--no-index'], env: { TOKEN: 'x' },
      mounts: [{ source: 'data', target: '/data', readOnly: true }], workspaceReadOnly: false, io: 'io', network: 'none', cpus: 1.5,
      memory: '2g', pids: 64, user: 'host', readOnlyRoot: true, workspaceCopy: false, autoRestart: true, idleStopMinutes: 30, init: ['import os'],
      backend: 'kubernetes', kubernetes: KUBERNETES_PLACEMENT,
    };
    assert.deepEqual(validate(ENVIRONMENT_SCHEMA, file), []);
  });
});

describe('resolveEnvironment', () => {
  it('carries the kubernetes section into the launch and the backend the file names out of it', () => {
    const env = resolve({ backend: 'kubernetes', kubernetes: KUBERNETES_PLACEMENT });
    assert.deepEqual([env.backend, env.launch.kubernetes], ['kubernetes', KUBERNETES_PLACEMENT]);
    assert.equal(resolve(undefined).backend, undefined, 'no file: the setting decides');
    const wrong = { backend: 'kubernetes', kubernetes: { namespace: 'Team_A', resources: { 'nvidia.com/gpu': 'many' }, extra: 1 } };
    assert.throws(() => resolve(wrong), (e: unknown) => e instanceof PydockError
      && /kubernetes\.namespace/.test(e.message) && /nvidia\.com\/gpu/.test(e.message) && /extra/.test(e.message));
  });

  it('resolves a file into launch options and lifecycle options', () => {
    const env = resolve({
      image: 'python:3.11-slim', env: { A: '1' }, mounts: [{ source: 'data', target: '/data', readOnly: true }], io: 'io',
      network: 'none', cpus: 2, memory: '512m', pids: 64, readOnlyRoot: true, autoRestart: true, idleStopMinutes: 5, init: ['import os', 'x = 1'],
    });
    const launch = env.launch;
    assert.equal(launch.image, 'python:3.11-slim');
    assert.equal(launch.workspace, WS);
    assert.deepEqual(launch.mounts, [{ source: `${WS}/data`, target: '/data', readOnly: true }]);
    assert.equal(launch.io, `${WS}/io`);
    assert.deepEqual([launch.network, launch.cpus, launch.memoryBytes, launch.pidsLimit, launch.readOnlyRoot], ['none', 2, 512 << 20, 64, true]);
    assert.deepEqual(env.lifecycle, { autoRestart: true, idleStopMinutes: 5, init: 'import os\nx = 1' });
    assert.equal(launch.build, undefined, 'no build without requirements or a Dockerfile');
  });

  it('has hardened defaults: bridge, a memory and a pids limit, the host user, nothing extra mounted', () => {
    const launch = resolve(undefined).launch;
    assert.deepEqual([launch.image, launch.network, launch.memoryBytes, launch.pidsLimit, launch.mounts, launch.readOnlyRoot],
      ['python:3.12-slim', 'bridge', 4 * 2 ** 30, 512, [], false]);
    assert.equal(launch.user, '1000:1000');
  });

  it('picks python:X.Y-slim for a python version, and the file wins over settings', () => {
    assert.equal(resolve({ python: '3.11' }).launch.image, 'python:3.11-slim');
    const settings = { image: 'corp/python:1', memory: '8g', env: { A: 'settings', B: 'settings' } };
    const env = resolve({ python: '3.10', env: { B: 'file' } }, { settings });
    assert.equal(env.launch.image, 'python:3.10-slim', 'the file chooses the image as a whole');
    assert.equal(env.launch.memoryBytes, 8 * 2 ** 30, 'settings fill what the file leaves out');
    assert.deepEqual(env.launch.env, { HOME: '/tmp', A: 'settings', B: 'file' });
    assert.equal(resolve({ memory: 0 }).launch.memoryBytes, undefined, '0 means no memory limit');
  });

  it('turns requirements and a Dockerfile into a build, with workspace paths', () => {
    const fromFile = resolve({ requirements: 'requirements.txt', pipArgs: ['--no-index'] }).launch.build;
    assert.deepEqual(fromFile, { workspace: WS, requirements: { file: `${WS}/requirements.txt` }, pipArgs: ['--no-index'] });
    const fromList = resolve({ dockerfile: 'docker/Dockerfile', requirements: ['numpy'] }).launch.build;
    assert.deepEqual(fromList, { workspace: WS, dockerfile: { file: `${WS}/docker/Dockerfile`, context: `${WS}/docker` }, requirements: { lines: ['numpy'] }, pipArgs: [] });
    const fromSettings = resolve(undefined, { settings: { dockerfile: 'docker/Dockerfile', context: '.' } }).launch.build;
    assert.deepEqual(fromSettings?.dockerfile, { file: `${WS}/docker/Dockerfile`, context: WS }, 'settings name a Dockerfile as the file does');
  });

  it('names the field and the source of each error', () => {
    const message = problems({ memroy: '4g', mounts: [{ source: 'a', target: 'relative' }], network: 'host', pids: 3, env: { 'BAD-NAME': 'x' } });
    assert.match(message, /\.pydock\/environment\.json: memroy: is not a known field \(did you mean memory\?\)/);
    assert.match(message, /mounts\[0\]\.target: must be an absolute path in the container/);
    assert.match(message, /network: host networking is not allowed/);
    assert.match(message, /pids: must be at least 16/);
    assert.match(message, /env\.BAD-NAME: must be a variable name/);
    assert.match(problems({ memory: 'lots' }), /memory: must be a size like 4g/);
    assert.match(problems({ requirements: 5 }), /requirements: must be a requirements.txt path or a list/);
    assert.match(problems({ image: 'x', python: '3.12' }), /give image or python, not both/);
    assert.match(problems({ context: '.' }), /context: needs dockerfile as well/);
    assert.match(problems(['not', 'an', 'object']), /must be an object, not a list/);
    assert.match(problems(undefined, { settings: { cpus: 0 } }), /^ {2}settings: cpus: must be more than 0$/m);
  });

  it('keeps workspace paths inside the workspace', () => {
    assert.match(problems({ io: '../elsewhere' }), /io: \.\.\/elsewhere is outside the workspace/);
    assert.match(problems({ requirements: '/etc/requirements.txt' }), /requirements: \/etc\/requirements.txt is outside the workspace/);
    assert.match(problems({ io: 'io' }, { workspace: undefined }), /io: needs a workspace folder/);
  });

  it('refuses mounts over pydock\'s own folders', () => {
    assert.match(problems({ mounts: [{ source: 'x', target: '/workspace' }] }), /mounts\[0\]\.target: \/workspace is pydock's own/);
    assert.match(problems({ mounts: [{ source: 'x', target: '/opt/pydock/' }] }), /\/opt\/pydock is pydock's own/);
  });

  it('refuses folders holding the Docker socket, and allows the socket itself with a warning', () => {
    for (const source of ['/', '/var/run', '/run', '/var', '/var/run/', '/run/podman']) {
      assert.match(problems({ mounts: [{ source, target: '/host' }] }), /mounts\[0\]\.source: .*(whole host|holds the container engine socket)/, `${source} must be refused`);
    }
    const env = resolve({ mounts: [{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] });
    assert.equal(env.launch.mounts?.[0].source, '/var/run/docker.sock');
    assert.match(env.warnings.join('\n'), /mounts\[0\]: \/var\/run\/docker.sock is a container engine socket/);
    assert.deepEqual(judgeMountSource('/home/u/data'), { ok: true });
    assert.equal(judgeMountSource('/srv', ['/srv/engine.sock']).ok, false, 'sockets known from the endpoint count too');
  });

  it('runs as the host user by default, so /workspace files are theirs; as root it keeps the image user', () => {
    const asUser = resolve(undefined, { host: { uid: 1234, gid: 100 } }).launch;
    assert.deepEqual([asUser.user, asUser.env.HOME], ['1234:100', '/tmp'], 'a host uid has no home in the image');
    const asRoot = resolve(undefined, { host: { uid: 0, gid: 0 } }).launch;
    assert.deepEqual([asRoot.user, asRoot.env.HOME], [undefined, undefined]);
    assert.equal(resolve(undefined, { host: {} }).launch.user, undefined, 'no uids (Windows): the image user');
    assert.equal(resolve({ user: 'image' }).launch.user, undefined);
    assert.equal(resolve({ user: 'root' }).launch.user, '0:0');
    assert.equal(resolve({ user: 'jovyan' }).launch.user, 'jovyan');
    assert.equal(resolve({ env: { HOME: '/home/me' } }).launch.env.HOME, '/home/me', 'env wins over the default HOME');
  });
});

describe('launch logging', () => {
  it('names environment variables but never logs their values', () => {
    const launch = resolve({ env: { API_TOKEN: 'hunter2-secret', DB_PASSWORD: 'p4ss' }, network: 'none' }).launch;
    const line = describeLaunch({ ...launch, workspaceLabel: 'w', sessionLabel: 's' });
    assert.match(line, /env HOME, API_TOKEN, DB_PASSWORD \(values not logged\)/);
    assert.match(line, /network none/);
    assert.ok(!line.includes('hunter2-secret') && !line.includes('p4ss'), `a secret value reached the log line: ${line}`);
  });
});

describe('readEnvironmentFile', () => {
  it('reads the workspace file, is quiet when there is none, and passes on what the JSON parser says', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-envfile-'));
    try {
      assert.equal(readEnvironmentFile(ws), undefined);
      fs.mkdirSync(path.join(ws, '.pydock'));
      fs.writeFileSync(path.join(ws, '.pydock', 'environment.json'), '{"python": "3.11"}');
      assert.deepEqual(readEnvironmentFile(ws), { python: '3.11' });
      fs.writeFileSync(path.join(ws, '.pydock', 'environment.json'), '{\n"python": }');
      assert.throws(() => readEnvironmentFile(ws), (e: unknown) => e instanceof PydockError && e.code === 'invalid-environment'
        && /environment.json is not valid JSON.*: Unexpected token/.test(e.message));
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
