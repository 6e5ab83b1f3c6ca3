// The debug adapter's pure parts: DAP framing over chunks cut anywhere, and where a host file sits in the session.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DapDecoder, encodeDap, type DapMessage } from '../../extension/engine/debug/dapFraming';
import { debugpyPathMappings, fileInSession } from '../../extension/engine/debug/debugPaths';
import { withDebugpy } from '../../extension/engine/debug/debugpyEnvironment';

const initialize: DapMessage = { seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'pydock', note: 'é ✓' } };
const threads: DapMessage = { seq: 2, type: 'request', command: 'threads' };

describe('DAP framing', () => {
  it('reads a message split at every byte, the header included', () => {
    const bytes = encodeDap(initialize);
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = new DapDecoder();
      assert.deepEqual([...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))], [initialize], `cut at ${cut}`);
    }
  });

  it('reads several messages from one chunk, and keeps a partial one for the next', () => {
    const both = Buffer.concat([encodeDap(initialize), encodeDap(threads), encodeDap(initialize).subarray(0, 5)]);
    const decoder = new DapDecoder();
    assert.deepEqual(decoder.push(both), [initialize, threads]);
    assert.deepEqual(decoder.push(encodeDap(initialize).subarray(5)), [initialize]);
  });

  it('counts Content-Length in bytes, not characters', () => {
    assert.match(encodeDap(initialize).subarray(0, 30).toString(), new RegExp(`Content-Length: ${Buffer.byteLength(JSON.stringify(initialize))}\r\n`));
  });

  it('refuses a header without Content-Length', () => {
    assert.throws(() => new DapDecoder().push(Buffer.from('Content-Type: x\r\n\r\n{}')), /without Content-Length/);
  });
});

describe('debug paths', () => {
  it('names a workspace file by its container path in a Docker session, and leaves others as they are', () => {
    assert.equal(fileInSession('/home/me/proj/src/a.py', '/home/me/proj'), '/workspace/src/a.py');
    assert.equal(fileInSession('/home/me/other/a.py', '/home/me/proj'), '/home/me/other/a.py');
    assert.equal(fileInSession('/home/me/project2/a.py', '/home/me/proj'), '/home/me/project2/a.py');
    assert.equal(fileInSession('/home/me/proj/a.py', undefined), '/home/me/proj/a.py', 'the local backend runs host paths');
  });

  it('has debugpy map the workspace both ways, and nothing for the local backend', () => {
    assert.deepEqual(debugpyPathMappings('/home/me/proj'), [{ localRoot: '/home/me/proj', remoteRoot: '/workspace' }]);
    assert.deepEqual(debugpyPathMappings(undefined), []);
  });
});

describe('debugpy for an image without it', () => {
  it('adds it to the requirements lines of a Docker session, keeping the rest of the environment', () => {
    assert.deepEqual(withDebugpy(undefined, 'docker'), { environment: { requirements: ['debugpy'] } });
    assert.deepEqual(withDebugpy({ python: '3.12', requirements: ['pandas'], memory: '2g' }, 'docker'),
      { environment: { python: '3.12', requirements: ['pandas', 'debugpy'], memory: '2g' } });
    assert.deepEqual(withDebugpy({ requirements: ['debugpy==1.8.0'] }, 'docker'), { environment: { requirements: ['debugpy==1.8.0'] } });
  });

  it('says what to do where it cannot write for the user, and which file to open: a requirements file, a Dockerfile', () => {
    assert.deepEqual(withDebugpy({ requirements: 'requirements.txt' }, 'docker'), { manual: 'add a line "debugpy" to requirements.txt', file: 'requirements.txt' });
    assert.deepEqual(withDebugpy({ dockerfile: 'docker/Dockerfile' }, 'docker'),
      { manual: 'add "RUN python3 -m pip install debugpy" to docker/Dockerfile', file: 'docker/Dockerfile' });
    assert.deepEqual(withDebugpy({ dockerfile: 'Dockerfile', requirements: ['pandas'] }, 'docker'),
      { environment: { dockerfile: 'Dockerfile', requirements: ['pandas', 'debugpy'] } }, 'the requirements build goes on top of the Dockerfile image');
  });

  it('keeps the requirements the settings give when the file names none (the file would replace them)', () => {
    assert.deepEqual(withDebugpy({ network: 'none' }, 'docker', { requirements: ['pandas'] }),
      { environment: { network: 'none', requirements: ['pandas', 'debugpy'] } });
    assert.deepEqual(withDebugpy({}, 'docker', { requirements: 'reqs/base.txt' }), { manual: 'add a line "debugpy" to reqs/base.txt', file: 'reqs/base.txt' });
    assert.deepEqual(withDebugpy({ requirements: ['numpy'] }, 'docker', { requirements: ['pandas'] }), { environment: { requirements: ['numpy', 'debugpy'] } });
  });

  it('offers no image build where pydock builds none: the local backend installs for its Python, Kubernetes needs an image with it', () => {
    assert.deepEqual(withDebugpy({ requirements: ['pandas'] }, 'local'), { manual: 'install it for that Python (python3 -m pip install debugpy)' });
    assert.deepEqual(withDebugpy(undefined, 'kubernetes'), { manual: 'use an image that has it (pydock builds images on Docker only)' });
  });
});
