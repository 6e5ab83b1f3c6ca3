// `npm run bench`: measures every named figure in one run and writes bench/results.json and the table in bench/README.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchApiFigures } from './api.bench';
import { benchDebugFigures } from './debug.bench';
import { benchEnvFigures } from './env.bench';
import { benchJobFigures } from './jobs.bench';
import { benchKubernetesFigures } from './kubernetes.bench';
import { benchLifecycleFigures } from './lifecycle.bench';
import { benchLspFigures } from './lsp.bench';
import { benchPanelFigures } from './panel.bench';
import { benchPullFigures } from './pull.bench';
import { benchSessionFigures } from './session.bench';
import { benchSoakFigures } from './soak.bench';
import { benchTableFigures } from './table.bench';
import { TARGETS } from './targets';

const GROUPS: [string, () => Promise<Record<string, number>>][] = [
  ['session engine (issue 3)', benchSessionFigures],
  ['api: library, marshalling and pools (issue 6)', benchApiFigures],
  ['table viewer (issue 5)', benchTableFigures],
  ['session panel (issue 4)', benchPanelFigures],
  ['environments (issue 7)', benchEnvFigures],
  ['lifecycle (issue 7)', benchLifecycleFigures],
  ['soak and concurrent sessions (issue 10)', benchSoakFigures],
  ['image pull (issue 16)', benchPullFigures],
  ['jobs (issue 14)', benchJobFigures],
  ['kubernetes (issue 15)', benchKubernetesFigures],
  ['live completions (issue 12)', benchLspFigures],
  ['debugger (issue 13)', benchDebugFigures],
];

const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const dir = __dirname;
  // A run of some groups keeps the last figures of the others.
  const results: Record<string, number> = only.length ? readResults(path.join(dir, 'results.json')) : {};
  for (const [name, run] of GROUPS) {
    if (only.length && !only.some((o) => name.includes(o))) continue;
    process.stderr.write(`bench: ${name}…\n`);
    Object.assign(results, await run());
  }
  fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const readme = path.join(dir, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const table = renderTable(results);
  fs.writeFileSync(readme, text.replace(new RegExp(`${BEGIN}[\\s\\S]*${END}`), `${BEGIN}\n${table}\n${END}`));
  process.stdout.write(`${table}\n`);
}

function readResults(file: string): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function renderTable(results: Record<string, number>): string {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const rows = Object.entries(results).map(([key, value]) => {
    const target = TARGETS[key];
    const verdict = target?.met ? (target.met(value, results) ? 'met' : '**missed**') : '';
    return `| \`${key}\` | ${value} ${target?.unit ?? ''} | ${target?.what ?? ''} | ${target?.goal ?? ''} | ${verdict} |`;
  });
  return [`Measured ${when} UTC on this machine (2 cores, shared: compare ratios within one run).`, '',
    '| figure | value | what | target | |', '|---|---|---|---|---|', ...rows].join('\n');
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
