// Pulling images without a daemon: references read as Docker reads them, pull progress summed, pull errors named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import { parseImageReference } from '../../extension/engine/docker/imageReference';
import { pullError } from '../../extension/engine/docker/pullErrors';
import { PullStreamParser } from '../../extension/engine/docker/pullStream';
import { describeProgress, type LaunchProgress } from '../../extension/engine/launch/launchProgress';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

describe('parseImageReference', () => {
  it('puts one-part names under Docker Hub library/, with latest as the default tag', () => {
    assert.deepEqual(parseImageReference('python'),
      { registry: 'docker.io', repository: 'library/python', fromImage: 'docker.io/library/python', tagOrDigest: 'latest' });
    assert.deepEqual(parseImageReference('python:3.12-slim'),
      { registry: 'docker.io', repository: 'library/python', tag: '3.12-slim', fromImage: 'docker.io/library/python', tagOrDigest: '3.12-slim' });
    assert.equal(parseImageReference('jupyter/scipy-notebook').repository, 'jupyter/scipy-notebook');
    assert.equal(parseImageReference('index.docker.io/library/python').registry, 'docker.io');
  });

  it('reads a registry from a first part with a dot or a port, or localhost', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5055/team/py:bare'),
      { registry: '127.0.0.1:5055', repository: 'team/py', tag: 'bare', fromImage: '127.0.0.1:5055/team/py', tagOrDigest: 'bare' });
    assert.equal(parseImageReference('localhost/py').registry, 'localhost');
    assert.equal(parseImageReference('ghcr.io/org/img:1').registry, 'ghcr.io');
    assert.equal(parseImageReference('pydock-local/python:full').registry, 'docker.io', 'no dot or port: a Docker Hub user');
  });

  it('accepts name@sha256 (the digest wins over a tag) and refuses what Docker refuses', () => {
    const pinned = parseImageReference(`registry.example.com:5000/py@${DIGEST}`);
    assert.deepEqual([pinned.digest, pinned.tagOrDigest, pinned.fromImage], [DIGEST, DIGEST, 'registry.example.com:5000/py']);
    assert.equal(parseImageReference(`python:3.12@${DIGEST}`).tagOrDigest, DIGEST);
    for (const bad of ['Python:3', 'py@sha256:short', 'py:', 'a//b', '']) {
      assert.throws(() => parseImageReference(bad), (e: unknown) => e instanceof PydockError && e.code === 'invalid-environment' && e.message.includes(`"${bad}"`), bad);
    }
  });
});

describe('PullStreamParser', () => {
  const layer = (id: string, status: string, current?: number, total?: number) => ({ id, status, ...(current !== undefined ? { progressDetail: { current, total } } : {}) });

  it('sums layers and bytes into one fraction that ends at 1, and reads the digest', () => {
    const events: Extract<LaunchProgress, { type: 'pull-progress' }>[] = [];
    const parser = new PullStreamParser('reg:5000/py:1', (e) => events.push(e));
    for (const message of [
      { status: 'Pulling from py', id: '1' },
      layer('base', 'Already exists'),
      layer('a', 'Pulling fs layer'), layer('b', 'Pulling fs layer'),
      layer('a', 'Downloading', 300, 1000), layer('b', 'Downloading', 0, 3000),
      layer('a', 'Download complete'), layer('a', 'Extracting', 1000, 1000), layer('a', 'Pull complete'),
      layer('b', 'Downloading', 3000, 3000), layer('b', 'Extracting', 1500, 3000), layer('b', 'Pull complete'),
      { status: `Digest: ${DIGEST}` }, { status: 'Status: Downloaded newer image for reg:5000/py:1' },
    ]) parser.push(message);
    assert.deepEqual([events[0].layers, events[0].layersDone], [2, 1], 'the layer the host has counts (as done), the tag line does not');
    const atFirstSizes = events.find((e) => e.totalBytes === 4000)!;
    assert.deepEqual([atFirstSizes.bytes, atFirstSizes.layersDone], [300, 1]);
    const fractions = events.map((e) => e.fraction);
    assert.ok(fractions.every((f) => f >= 0 && f <= 1), `fractions stay within 0 and 1: ${fractions}`);
    const dips = events.filter((e, i) => i > 0 && e.fraction < events[i - 1].fraction);
    assert.ok(dips.every((e) => e.totalBytes > events[events.indexOf(e) - 1].totalBytes), 'the fraction drops only when a layer\'s size becomes known');
    assert.deepEqual({ ...events.at(-1)!, fraction: Math.round(events.at(-1)!.fraction * 100) },
      { type: 'pull-progress', image: 'reg:5000/py:1', layers: 3, layersDone: 3, bytes: 4000, totalBytes: 4000, fraction: 100 });
    assert.deepEqual([parser.digest, parser.upToDate, parser.failure()], [DIGEST, false, undefined]);
    assert.equal(describeProgress(events.at(-1)!), 'pulling reg:5000/py:1: 3 of 3 layers, 3.9 KiB of 3.9 KiB');
  });

  it('weighs layers of unknown size as the mean known one, and notes an error and an up-to-date image', () => {
    const events: Extract<LaunchProgress, { type: 'pull-progress' }>[] = [];
    const parser = new PullStreamParser('py', (e) => events.push(e));
    parser.push(layer('a', 'Downloading', 500, 1000));
    parser.push(layer('b', 'Waiting'));
    assert.equal(events.at(-1)!.fraction, 0.125, 'a quarter of a downloaded-half of one of two equal layers');
    parser.push({ status: 'Status: Image is up to date for py' });
    parser.push({ errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' });
    assert.deepEqual([parser.upToDate, parser.failure()], [true, 'unexpected EOF']);
  });
});

describe('pullError', () => {
  const context = { image: 'reg.example:5000/py:1', registry: 'reg.example:5000', credentials: 'the auths entry for reg.example:5000 in /h/.docker/config.json', daemon: 'unix:///var/run/docker.sock' };
  const cases: [string, string, RegExp][] = [
    ['Get "https://reg.example:5000/v2/": dial tcp: lookup reg.example on 10.0.0.53:53: no such host', 'registry-unreachable', /Cannot reach the registry reg\.example:5000 to pull reg\.example:5000\/py:1: its name does not resolve \(DNS\)/],
    ['Get "http://127.0.0.1:5078/v2/": dial tcp 127.0.0.1:5078: connect: connection refused', 'registry-unreachable', /nothing answers at its address/],
    ['Get "https://reg.example:5000/v2/": x509: certificate signed by unknown authority', 'registry-tls', /TLS connection to the registry reg\.example:5000 failed[\s\S]*certs\.d\/reg\.example:5000\/ca\.crt/],
    ['Head "https://reg.example:5000/v2/py/manifests/1": no basic auth credentials', 'registry-unauthorized', /refused to let reg\.example:5000\/py:1 be pulled \(tried the auths entry for reg\.example:5000 in \/h\/\.docker\/config\.json\)/],
    ['manifest for reg.example:5000/py:1 not found: manifest unknown: manifest unknown', 'manifest-unknown', /The registry reg\.example:5000 has no image reg\.example:5000\/py:1 \(manifest unknown\)/],
    ['write /var/lib/docker/tmp/x: no space left on device', 'pull-failed', /Pulling reg\.example:5000\/py:1 from reg\.example:5000 failed: write/],
  ];
  for (const [message, code, expected] of cases) {
    it(`reads "${message.slice(0, 60)}…" as ${code}`, () => {
      const error = pullError(message, context);
      assert.equal(error.code, code);
      assert.match(error.describe(), expected);
      assert.ok(error.hint, 'says what to do');
    });
  }
});
