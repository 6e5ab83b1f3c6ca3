// The table viewer's agent side through the real engine: handles opened by expression and by result ref, pages,
// sorts, filters, profiles (and cancelling one), exports read back on the host, code round trips, release, 1M rows.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { cellText } from '../../shared/cellText';
import { PydockError } from '../../extension/engine/errors';
import { SPECIAL, type TableRows } from '../../shared/agentProtocol';
import type { RunSuccess, Session } from '../../extension/engine/session/session';
import { TARGETS, newSession, requireImages, tempWorkspace } from './helpers';

before(requireImages);

async function run(session: Session, code: string): Promise<RunSuccess> {
  const outcome = await session.exec(code, { mode: 'repl' });
  if (!outcome.ok) assert.fail(`expected success, got ${outcome.error.text}`);
  return outcome;
}

const open = (session: Session, source: { expr: string } | { ref: number }) => session.inspect({ type: 'table.open', ...source });
const rows = (session: Session, handle: number, start: number, end: number) => session.inspect({ type: 'table.rows', handle, start, end });
const column = (page: TableRows, j: number) => page.cells.map((row) => cellText(row[j]));

for (const target of TARGETS) {
  describe(`tables on ${target.name}`, () => {
    const workspace = tempWorkspace();
    const session = newSession(target, { workspace });
    let modules = { numpy: false, pandas: false };

    before(async () => {
      await run(session, 'records = [{"id": i, "name": "name %d" % i, "score": (i * 37 % 11) / 4 if i % 5 else None} for i in range(1000)]');
      modules = session.info!.modules;
    });

    it('opens a list of dicts by expression and pages it, with special values as codes', async () => {
      const schema = await open(session, { expr: 'records' });
      assert.deepEqual([schema.kind, schema.totalRows, schema.filteredRows], ['records', 1000, 1000]);
      assert.deepEqual(schema.columns.map((c) => [c.name, c.kind]), [['id', 'int'], ['name', 'str'], ['score', 'float']]);
      const page = await rows(session, schema.handle, 995, 2000);
      assert.deepEqual(page.positions, [995, 996, 997, 998, 999]);
      assert.deepEqual(page.cells[0], ['995', 'name 995', SPECIAL.none]);
      assert.deepEqual(page.cells[1], ['996', 'name 996', String((996 * 37 % 11) / 4)]);
      await session.inspect({ type: 'table.release', handle: schema.handle });
    });

    it('sorts several keys and filters, in the agent, and the view is positions into the data', async () => {
      const { handle } = await open(session, { expr: 'records' });
      const filtered = await session.inspect({ type: 'table.filter', handle, filters: [{ column: 2, op: 'ge', value: '2' }], search: '' });
      const expected = await run(session, 'sorted([r for r in records if r["score"] is not None and r["score"] >= 2], key=lambda r: (-r["score"], r["id"]))');
      assert.equal(filtered.filteredRows, (expected.value as unknown[]).length);
      const sorted = await session.inspect({ type: 'table.sort', handle, keys: [{ column: 2, descending: true }, { column: 0, descending: false }] });
      assert.deepEqual(sorted.sort, [{ column: 2, descending: true }, { column: 0, descending: false }]);
      const page = await rows(session, handle, 0, 5);
      assert.deepEqual(page.positions, (expected.value as { id: number }[]).slice(0, 5).map((r) => r.id));
      assert.equal(await session.inspect({ type: 'table.cell', handle, row: page.positions[0], column: 1 }), `name ${page.positions[0]}`);
      const searched = await session.inspect({ type: 'table.filter', handle, filters: [], search: 'NAME 99' });
      assert.equal(searched.filteredRows, 11, 'name 99 and name 990 to 999');
      await session.inspect({ type: 'table.release', handle });
    });

    it('profiles a column of the view', async () => {
      const { handle } = await open(session, { expr: 'records' });
      const profile = await session.inspect({ type: 'table.profile', handle, column: 2 });
      const present = (await run(session, '[r["score"] for r in records if r["score"] is not None]')).value as number[];
      assert.deepEqual([profile.count, profile.nullCount], [present.length, 1000 - present.length]);
      assert.deepEqual([profile.min, profile.max], (await run(session, '[repr(min(r["score"] for r in records if r["score"] is not None)), '
        + 'repr(max(r["score"] for r in records if r["score"] is not None))]')).value);
      assert.equal(profile.histogram!.counts.reduce((a, b) => a + b, 0), present.length);
      const text = await session.inspect({ type: 'table.profile', handle, column: 1 });
      assert.equal(text.distinct, 1000);
      await session.inspect({ type: 'table.release', handle });
    });

    it('cancels a long profile with an AbortSignal: the agent stops and answers the next request at once', async () => {
      await run(session, 'many = {"s": [str(i) for i in range(3_000_000)]}');
      const { handle } = await open(session, { expr: 'many' });
      const controller = new AbortController();
      const profiling = session.inspect({ type: 'table.profile', handle, column: 0 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(profiling, /cancelled|abort/i);
      const started = performance.now();
      assert.equal((await rows(session, handle, 0, 1)).cells[0][0], '0');
      const waited = performance.now() - started;
      assert.ok(waited < 700, `the next request waited ${waited.toFixed(0)} ms: the profile (several seconds) went on`);
      await session.inspect({ type: 'table.release', handle });
      await run(session, 'del many');
    });

    it('exports the view to the workspace, where the host reads it (after a sync back, where it was copied in)', async () => {
      fs.mkdirSync(path.join(workspace, 'exports'), { recursive: true });
      const copied = session.workspaceCopy; // a pod's workspace: the folder is made there too, and the file comes back on request
      if (copied) await session.exec('import os; os.makedirs("exports", exist_ok=True)');
      const { handle } = await open(session, { expr: 'records' });
      await session.inspect({ type: 'table.filter', handle, filters: [{ column: 0, op: 'lt', value: '3' }], search: '' });
      await session.inspect({ type: 'table.sort', handle, keys: [{ column: 0, descending: true }] });
      const reply = await session.inspect({ type: 'table.export', handle, path: 'exports/view.tsv', format: 'tsv' });
      assert.equal(reply.rows, 3);
      if (copied) assert.deepEqual((await copied.syncBack()).written, ['exports/view.tsv']);
      assert.equal(fs.readFileSync(path.join(workspace, 'exports', 'view.tsv'), 'utf8'), 'id\tname\tscore\n2\tname 2\t2.0\n1\tname 1\t1.0\n0\tname 0\t\n');
      await assert.rejects(session.inspect({ type: 'table.export', handle, path: '../outside.csv', format: 'csv' }),
        (e: unknown) => e instanceof PydockError && /PermissionError/.test(e.message));
      await session.inspect({ type: 'table.release', handle });
    });

    it('releases a handle: it is gone afterwards', async () => {
      const { handle } = await open(session, { expr: 'records' });
      assert.equal(await session.inspect({ type: 'table.release', handle }), null);
      await assert.rejects(rows(session, handle, 0, 1), (e: unknown) => e instanceof PydockError && /is not open/.test(e.message));
    });

    it('opens a numpy array from a result ref, when numpy is there', async (t) => {
      if (!modules.numpy) return t.skip('no numpy in this Python');
      const outcome = await run(session, 'import numpy as np\nnp.array([[0.1, 1e-12], [np.nan, -np.inf]])');
      assert.ok(outcome.table, 'an array result comes with a table preview and its ref');
      const schema = await open(session, { ref: outcome.table.ref });
      assert.deepEqual([schema.kind, schema.totalRows, schema.columns.length], ['ndarray', 2, 2]);
      assert.deepEqual((await rows(session, schema.handle, 0, 2)).cells, [['0.1', '1e-12'], [SPECIAL.nan, SPECIAL.neginf]]);
      await session.inspect({ type: 'table.release', handle: schema.handle });
    });

    it('opens a DataFrame by ref, and its code gives exactly the view, when pandas is there', async (t) => {
      if (!modules.pandas) return t.skip('no pandas in this Python');
      const outcome = await run(session, [
        'import pandas as pd, numpy as np',
        'df = pd.DataFrame({"a": [3, 1, 2, None, 5], "b": ["x", "Y", None, "xy", "z"],',
        '                   "t": pd.date_range("2024-01-01", periods=5, tz="Europe/Berlin")})',
        'df',
      ].join('\n'));
      const schema = await open(session, { ref: outcome.table!.ref });
      assert.deepEqual(schema.columns.map((c) => c.dtype), ['float64', 'object', 'datetime64[ns, Europe/Berlin]']);
      const { handle } = schema;
      await session.inspect({ type: 'table.filter', handle, filters: [{ column: 1, op: 'contains', value: 'x' }, { column: 0, op: 'gt', value: '1' }], search: '' });
      await session.inspect({ type: 'table.sort', handle, keys: [{ column: 0, descending: true }] });
      const page = await rows(session, handle, 0, 10);
      assert.deepEqual(page.positions, [0]);
      assert.deepEqual(column(page, 2), ['2024-01-01 00:00:00+01:00']);
      const code = await session.inspect({ type: 'table.code', handle, name: 'df' });
      const statements = code.split('\n');
      const expression = statements.pop();
      const result = await run(session, [...statements, `list((${expression}).index)`].join('\n'));
      assert.deepEqual(result.value, page.positions, `${code} gives the view's rows`);
      await session.inspect({ type: 'table.release', handle });
    });

    it('pages, sorts and filters a 1M-row table', async () => {
      const build = modules.pandas
        ? 'import pandas as pd, numpy as np\nbig = pd.DataFrame({"a": np.arange(1_000_000), "b": np.random.default_rng(0).normal(size=1_000_000)})'
        : 'import random\nrandom.seed(0)\nbig = {"a": list(range(1_000_000)), "b": [random.gauss(0, 1) for _ in range(1_000_000)]}';
      await run(session, build);
      const { handle, totalRows } = await open(session, { expr: 'big' });
      assert.equal(totalRows, 1_000_000);
      const last = await rows(session, handle, 999_990, 1_000_000);
      assert.deepEqual(column(last, 0), Array.from({ length: 10 }, (_, i) => String(999_990 + i)));
      await session.inspect({ type: 'table.sort', handle, keys: [{ column: 1, descending: true }] });
      const top = await rows(session, handle, 0, 1);
      const largest = (await run(session, modules.pandas ? 'repr(float(big["b"].max()))' : 'repr(max(big["b"]))')).value;
      assert.equal(column(top, 1)[0], largest);
      const filtered = await session.inspect({ type: 'table.filter', handle, filters: [{ column: 0, op: 'ge', value: '500000' }], search: '' });
      assert.equal(filtered.filteredRows, 500_000);
      const page = await rows(session, handle, 0, 3);
      assert.ok(page.positions.every((p) => p >= 500_000), 'the sort applies to what the filter keeps');
      await session.inspect({ type: 'table.release', handle });
      await run(session, 'del big');
    });
  });
}
