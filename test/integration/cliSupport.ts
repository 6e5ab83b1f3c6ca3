// Shared set-up for the command line tests: the CLI bundled from the sources, run as its own process as users run it.
import { execFile, execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as path from 'node:path';
import { before } from 'node:test';
import { PACKAGE, REPO, requireImages } from './helpers';

export const CLI = path.join(REPO, PACKAGE.bin.pydock);

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** Bundles dist/cli.js before the file's tests, so they run the code as it is now, not an older build. */
export function buildCli(): void {
  before(() => {
    requireImages();
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'pipe' });
  });
}

export function runCli(args: string[], options: Pick<SpawnSyncOptions, 'cwd' | 'env'> = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runCli without blocking this process, for a server the test itself runs (the Kubernetes stand-in). */
export function runCliAsync(args: string[], options: Pick<SpawnSyncOptions, 'cwd' | 'env'> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...options as object }, (_error, stdout, stderr) => {
      resolve({ status: child.exitCode, stdout, stderr });
    });
  });
}
