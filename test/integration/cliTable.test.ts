// `pydock table` as scripts run it: the built dist/cli.js against real containers, its JSON, its text and exit codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableOutput } from '../../extension/cli/table';
import { buildCli, runCli, type CliResult } from './cliSupport';
import { BARE_IMAGE, FULL_IMAGE, tempWorkspace } from './helpers';

buildCli();

function pydock(image: string, ...args: string[]): CliResult {
  return runCli(['table', '--backend', 'docker', '--image', image, '--workspace', tempWorkspace(), ...args]);
}

function json(image: string, ...args: string[]): TableOutput {
  const result = pydock(image, '--json', ...args);
  assert.equal(result.status, 0, `exit ${result.status}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as TableOutput;
}

const FRAME = [
  'import pandas as pd, numpy as np',
  'df = pd.DataFrame({"price": [3.5, np.nan, 1e-12, 7.0, 2.0], "name": ["a", "b" * 250, None, "d", "e"],',
  '                   "when": pd.date_range("2024-03-01", periods=5, freq="D", tz="Europe/Berlin")},',
  '                  index=pd.Index(["r0", "r1", "r2", "r3", "r4"], name="key"))',
  'df',
].join('\n');

describe('pydock table', () => {
  it('prints the window as JSON, sorted and filtered in Python, with cells as the viewer shows them', () => {
    const output = json(FULL_IMAGE, '--rows', '0:3', '--sort', 'price:desc', '--filter', 'name notnull', FRAME);
    assert.deepEqual(Object.keys(output), ['columns', 'dtypes', 'index', 'total_rows', 'filtered_rows', 'rows']);
    assert.deepEqual(output.columns, ['price', 'name', 'when']);
    assert.deepEqual(output.dtypes, ['float64', 'object', 'datetime64[ns, Europe/Berlin]']);
    assert.deepEqual([output.total_rows, output.filtered_rows], [5, 4]);
    assert.deepEqual(output.index, ['r3', 'r0', 'r4']);
    assert.deepEqual(output.rows, [
      ['7.0', 'd', '2024-03-04 00:00:00+01:00'],
      ['3.5', 'a', '2024-03-01 00:00:00+01:00'],
      ['2.0', 'e', '2024-03-05 00:00:00+01:00'],
    ]);
  });

  it('shows special values by name, tiny floats truly and long text cut', () => {
    const output = json(FULL_IMAGE, '--filter', 'price < 3', FRAME);
    assert.deepEqual(output.rows.map((r) => r[0]), ['1e-12', '2.0']);
    assert.deepEqual(output.rows.map((r) => r[1]), ['None', 'e']);
    const all = json(FULL_IMAGE, FRAME);
    assert.equal(all.rows[1][0], 'NaN');
    assert.equal(all.rows[1][1], `${'b'.repeat(200)}…`);
  });

  it('gives numbers as they read, to --precision digits, and exactly with --raw', () => {
    const code = 'import pandas as pd\npd.DataFrame({"x": [0.1 + 0.2, 24.869412937427317, 1e-12, 123456789.123]})';
    assert.deepEqual(json(FULL_IMAGE, code).rows.map((r) => r[0]), ['0.3', '24.869413', '1e-12', '1.234568e+08']);
    assert.deepEqual(json(FULL_IMAGE, '--precision', '2', code).rows.map((r) => r[0]), ['0.3', '24.87', '1e-12', '1.23e+08']);
    assert.deepEqual(json(FULL_IMAGE, '--raw', code).rows.map((r) => r[0]), ['0.30000000000000004', '24.869412937427317', '1e-12', '123456789.123']);
  });

  it('works without pandas: a list of dicts in the bare image, with several sort keys and a regex', () => {
    const code = '[{"g": i % 3, "n": i, "s": "item %02d" % i} for i in range(30)]';
    const output = json(BARE_IMAGE, '--sort', 'g:desc', '--sort', 'n', '--filter', 's regex [05]$', '--rows', ':4', code);
    assert.deepEqual([output.total_rows, output.filtered_rows], [30, 6]);
    assert.deepEqual(output.rows, [['2', '5', 'item 05'], ['2', '20', 'item 20'], ['1', '10', 'item 10'], ['1', '25', 'item 25']]);
    assert.deepEqual(output.index, ['5', '20', '10', '25']);
  });

  it('prints an aligned text table, index first as pandas prints it, with the row counts', () => {
    const result = pydock(BARE_IMAGE, '--filter', 'n >= 8', '{"n": list(range(12)), "word": ["w%d" % i for i in range(12)]}');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, [
      '     n  word',
      '8    8  w8',
      '9    9  w9',
      '10  10  w10',
      '11  11  w11',
      'rows 0–3 of 12 (4 after filters)',
      '',
    ].join('\n'));
  });

  it('exits 1 when Python raises, and 2 for usage errors, naming the problem', () => {
    const raised = pydock(BARE_IMAGE, '1 / 0');
    assert.equal(raised.status, 1);
    assert.match(raised.stderr, /ZeroDivisionError/);
    const notTabular = pydock(BARE_IMAGE, '42');
    assert.equal(notTabular.status, 1);
    assert.match(notTabular.stderr, /table viewer shows/);
    const badFilter = pydock(BARE_IMAGE, '--filter', 'n ~ 3', '[{"n": 1}]');
    assert.equal(badFilter.status, 2);
    assert.match(badFilter.stderr, /--filter must be "COL OP VALUE"/);
    const noColumn = pydock(BARE_IMAGE, '--sort', 'missing', '[{"n": 1}]');
    assert.equal(noColumn.status, 2);
    assert.match(noColumn.stderr, /no column "missing"; the columns are: n/);
  });
});
