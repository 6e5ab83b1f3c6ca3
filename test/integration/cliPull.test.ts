// `pydock eval --pull` against a real registry: progress on stderr (plain lines, or one line redrawn on a terminal), and
// nothing of it in --json's stdout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { CLI, buildCli, runCli } from './cliSupport';
import { docker, tempWorkspace } from './helpers';
import { pushUniqueImage, startRegistry, type TestRegistry } from './registries';

buildCli();

describe('pydock --pull', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(() => registry?.stop());

  it('pulls a missing image by default: progress lines on stderr, and --json prints only its object on stdout', () => {
    const image = pushUniqueImage(registry, 1 << 20);
    const result = runCli(['eval', '--json', '--backend', 'docker', '--image', image, '6 * 7'], { cwd: tempWorkspace() });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\n'), [result.stdout.trim(), ''], 'one line: the JSON object');
    assert.equal(JSON.parse(result.stdout).value, 42);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `pydock: pulling ${image} from ${registry.host}`);
    assert.match(lines.at(-1)!, new RegExp(`^pydock: pulled image ${image.replace(/\./g, '\\.')} in \\d+\\.\\d s$`));
    const progress = lines.slice(1, -1);
    assert.ok(progress.length >= 1 && progress.every((l) => new RegExp(`^pydock: pulling ${image.replace(/\./g, '\\.')}: \\d+% \\(\\d+ of \\d+ layers`).test(l)),
      `plain progress lines, one per finished layer:\n${result.stderr}`);
    assert.ok(!result.stderr.includes('\r'), 'no terminal redraws when stderr is not a terminal');
  });

  it('with --pull never refuses a missing image clearly; with --pull always pulls a present one again', () => {
    const image = pushUniqueImage(registry);
    const never = runCli(['eval', '--backend', 'docker', '--pull', 'never', '--image', image, '1'], { cwd: tempWorkspace() });
    assert.deepEqual([never.status, never.stdout], [2, '']);
    assert.match(never.stderr, new RegExp(`^pydock: The image ${image.replace(/\./g, '\\.')} is not on the Docker host .*, and pulling is off\\.\\n`));
    docker('pull', '-q', image);
    const always = runCli(['eval', '--backend', 'docker', '--pull', 'always', '--image', image, '2 + 2'], { cwd: tempWorkspace() });
    assert.deepEqual([always.status, always.stdout], [0, '4\n'], always.stderr);
    assert.match(always.stderr, new RegExp(`pydock: image ${image.replace(/\./g, '\\.')} is up to date\\n$`));
  });

  it('redraws one line on a terminal', () => {
    const image = pushUniqueImage(registry, 8 << 20);
    // python's pty.spawn gives the CLI a terminal (stdout and stderr both) and copies what it writes to our stdout.
    const result = spawnSync('python3', ['-c', 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))',
      process.execPath, CLI, 'eval', '--backend', 'docker', '--image', image, '3 * 3'], { cwd: tempWorkspace(), encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const redraws = result.stdout.split('\r\x1b[2K').length - 1;
    assert.ok(redraws >= 2, `the pull line is redrawn in place (${redraws} times):\n${JSON.stringify(result.stdout)}`);
    assert.match(result.stdout, new RegExp(`\\r\\x1b\\[2Kpydock: pulled image ${image.replace(/\./g, '\\.')} in \\d+\\.\\d s\\r?\\n9\\r?\\n$`));
  });

  it('refuses a --pull it does not know', () => {
    const result = runCli(['eval', '--pull', 'sometimes', '1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^pydock: --pull must be missing, always or never, not "sometimes"\n/);
  });
});
