// Runs node:test suites on the TypeScript sources (through tsx) in one process tree, so one summary ends the output.
// usage: node scripts/run-tests.mjs [unit] [integration] [webview] [e2e]   (no argument: all suites)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ALL = ['unit', 'integration', 'webview', 'e2e'];
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const unknown = suites.filter((s) => !ALL.includes(s));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}

const files = suites.flatMap((suite) => {
  let names = [];
  try {
    names = readdirSync(join('test', suite), { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names.filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', suite, f));
});

// One file at a time: integration and e2e tests share one Docker daemon and two cores.
// msgpackr's native string extractor cannot ship in the .vsix, so tests measure the pure-JS decoder users get.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, MSGPACKR_NATIVE_ACCELERATION_DISABLED: 'true' },
});
process.exit(result.status ?? 1);
