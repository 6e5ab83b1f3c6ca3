// Derived images without a daemon: the local paths in requirements, the generated Dockerfile, and reading build output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildStreamParser } from '../../extension/engine/docker/buildStream';
import { REQUIREMENTS_DIR, requirementsDockerfile } from '../../extension/engine/docker/imageBuilder';
import { requirementReferences } from '../../extension/engine/docker/requirements';
import type { LaunchProgress } from '../../extension/engine/launch/launchProgress';

describe('requirementReferences', () => {
  it('finds local packages, wheels, link folders and nested files, and nothing else', () => {
    const text = [
      'pandas>=2  # a name, not a path',
      './pkg[extra]',
      'wheels/tool-1.0-py3-none-any.whl',
      '-e ../proj/lib',
      '--find-links=./wheels',
      '-f ./more',
      '-r other.txt',
      '--constraint constraints.txt',
      'requests @ https://example.invalid/requests.tar.gz',
      'https://example.invalid/x.whl',
      '--no-index',
      '# ./commented',
      'numpy \\',
      '  >=1.24',
    ].join('\n');
    assert.deepEqual(requirementReferences(text).map((r) => [r.path, r.line, r.nested]), [
      ['./pkg', 2, false],
      ['wheels/tool-1.0-py3-none-any.whl', 3, false],
      ['../proj/lib', 4, false],
      ['./wheels', 5, false],
      ['./more', 6, false],
      ['other.txt', 7, true],
      ['constraints.txt', 8, true],
    ]);
  });
});

describe('requirementsDockerfile', () => {
  it('installs from the copied workspace with pip in exec form, and restores the base image\'s user and workdir', () => {
    const text = requirementsDockerfile({ id: 'sha256:abc', user: 'jovyan', workingDir: '/home/jovyan' }, 'requirements.txt', ['--no-index']);
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'FROM sha256:abc', 'the base by id, so the tag hash and the build agree');
    assert.deepEqual(lines.slice(1, 4), ['USER 0:0', `COPY ws/ ${REQUIREMENTS_DIR}/`, `WORKDIR ${REQUIREMENTS_DIR}`]);
    const run = JSON.parse(lines[4].slice('RUN '.length)) as string[];
    assert.deepEqual(run.slice(0, 6), ['env', 'PIP_BREAK_SYSTEM_PACKAGES=1', 'PIP_ROOT_USER_ACTION=ignore', 'python3', '-m', 'pip']);
    assert.deepEqual(run.slice(-3), ['--no-index', '-r', 'requirements.txt']);
    assert.deepEqual(lines.slice(5), ['WORKDIR /home/jovyan', 'USER jovyan']);
  });

  it('leaves USER alone for a root base image', () => {
    const text = requirementsDockerfile({ id: 'sha256:abc', user: '', workingDir: '' }, 'r.txt', []);
    assert.ok(!/^USER /m.test(text), text);
    assert.match(text, /WORKDIR \/\n$/);
  });
});

describe('BuildStreamParser', () => {
  const parse = (messages: object[]) => {
    const events: LaunchProgress[] = [];
    const parser = new BuildStreamParser((e) => events.push(e));
    const bytes = Buffer.from(messages.map((m) => JSON.stringify(m)).join('\r\n'));
    for (let i = 0; i < bytes.length; i += 7) parser.pushBytes(bytes.subarray(i, i + 7)); // split anywhere, even inside UTF-8
    parser.end();
    return { events, parser };
  };

  it('reports steps and output lines, and the image id', () => {
    const { events, parser } = parse([
      { stream: 'Step 1/2 : FROM sha256:abc\n' }, { stream: ' ---> abc\nStep 2/2 : RUN ["pip"]\n' },
      { stream: 'Successfully installed pkg-0.1 — ok\n' }, { aux: { ID: 'sha256:def' } },
    ]);
    assert.deepEqual(events, [
      { type: 'build-step', step: 1, total: 2, instruction: 'FROM sha256:abc' },
      { type: 'build-output', line: ' ---> abc' },
      { type: 'build-step', step: 2, total: 2, instruction: 'RUN ["pip"]' },
      { type: 'build-output', line: 'Successfully installed pkg-0.1 — ok' },
    ]);
    assert.equal(parser.imageId, 'sha256:def');
    assert.equal(parser.failure(), undefined);
  });

  it('says why a build failed with pip\'s ERROR lines from the failing step, without the builder\'s colours', () => {
    const { parser } = parse([
      { stream: 'Step 1/6 : FROM sha256:abc\n ---> 0123456789ab\nStep 2/6 : COPY ws/ /opt/pydock-env/\n ---> Using cache\n ---> 1123456789ab\n' },
      { stream: 'Step 3/6 : WORKDIR /opt/pydock-env\n ---> Running in 5a2001033745\nRemoving intermediate container 5a2001033745\n ---> 2123456789ab\n' },
      { stream: 'Step 4/6 : RUN ["pip"]\nLooking in links: ./wheels\n' },
      { stream: '\u001b[91mERROR: Could not find a version that satisfies the requirement nosuchpkg (from versions: none)\n' },
      { stream: '\u001b[0m\u001b[91mERROR: No matching distribution found for nosuchpkg\n' },
      { errorDetail: { code: 1, message: "The command '/bin/sh' returned a non-zero code: 1" }, error: 'The command returned a non-zero code: 1' },
    ]);
    const failure = parser.failure();
    assert.ok(failure, 'a failure');
    assert.equal(failure.message, "The command '/bin/sh' returned a non-zero code: 1");
    assert.deepEqual(failure.pipErrors, [
      'ERROR: Could not find a version that satisfies the requirement nosuchpkg (from versions: none)',
      'ERROR: No matching distribution found for nosuchpkg',
    ]);
    assert.equal(failure.tail.at(-1), 'ERROR: No matching distribution found for nosuchpkg');
    assert.deepEqual(parser.createdLayers, ['2123456789ab'], 'the step images this build made: not the base, not cache hits');
  });
});
