// `npm run bench`: measures every named figure in one run and writes bench/results.json and the table in bench/README.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchSessionFigures } from './session.bench';
import { TARGETS } from './targets';

const GROUPS: [string, () => Promise<Record<string, number>>][] = [
  ['session engine (issue 3)', benchSessionFigures],
];

const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: Record<string, number> = {};
  for (const [name, run] of GROUPS) {
    if (only.length && !only.some((o) => name.includes(o))) continue;
    process.stderr.write(`bench: ${name}…\n`);
    Object.assign(results, await run());
  }
  const dir = __dirname;
  fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const readme = path.join(dir, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const table = renderTable(results);
  fs.writeFileSync(readme, text.replace(new RegExp(`${BEGIN}[\\s\\S]*${END}`), `${BEGIN}\n${table}\n${END}`));
  process.stdout.write(`${table}\n`);
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
