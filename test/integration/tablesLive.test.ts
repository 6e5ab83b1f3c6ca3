// Live table views through the real engine, the agent holding every reply to the protocol tables: a view that follows
// its variable through in-place edits and reassignment (refreshed in the same handle, its filters kept), a result
// bound to the name its cell ended in, a search that answers its first page first, and column summaries.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { cellText } from '../../shared/cellText';
import type { RunSuccess, Session } from '../../extension/engine/session/session';
import { TARGETS, newSession, requireImages, tempWorkspace } from './helpers';

before(requireImages);

async function run(session: Session, code: string): Promise<RunSuccess> {
  const outcome = await session.exec(code, { mode: 'repl' });
  if (!outcome.ok) assert.fail(`expected success, got ${outcome.error.text}`);
  return outcome;
}

for (const target of TARGETS) {
  describe(`live tables on ${target.name}`, () => {
    const session = newSession(target, { workspace: tempWorkspace() });

    before(async () => {
      await run(session, 'records = [{"id": i, "name": "name %d" % i} for i in range(5000)]');
    });

    it('follows a variable: an in-place edit and a reassignment show as changes, and a refresh keeps the filters', async () => {
      const schema = await session.inspect({ type: 'table.open', expr: 'records' });
      assert.equal(schema.source, 'records');
      const { handle } = schema;
      await session.inspect({ type: 'table.filter', handle, filters: [{ column: 0, op: 'lt', value: '100' }], search: '' });
      assert.equal(await session.inspect({ type: 'table.changed', handle }), false, 'nothing ran');
      await run(session, 'records[7]["name"] = "edited"');
      assert.equal(await session.inspect({ type: 'table.changed', handle }), true, 'one value changed in place');
      const refreshed = await session.inspect({ type: 'table.refresh', handle });
      assert.deepEqual([refreshed.handle, refreshed.filteredRows, refreshed.filters.length], [handle, 100, 1]);
      const page = await session.inspect({ type: 'table.rows', handle, start: 7, end: 8 });
      assert.equal(cellText(page.cells[0][1]), 'edited');
      await run(session, 'records = records[:50]');
      assert.equal(await session.inspect({ type: 'table.changed', handle }), true, 'reassigned');
      const smaller = await session.inspect({ type: 'table.refresh', handle });
      assert.deepEqual([smaller.totalRows, smaller.filteredRows], [50, 50]);
      await session.inspect({ type: 'table.release', handle });
    });

    it('answers a search\'s first page, then every match, and summarizes the columns of the view', async () => {
      await run(session, 'many = [{"id": i, "name": "name %d" % i} for i in range(200000)]');
      const { handle } = await session.inspect({ type: 'table.open', expr: 'many' });
      const first = await session.inspect({ type: 'table.filter', handle, filters: [], search: 'name 1', limit: 50 });
      assert.equal(first.partial, true);
      assert.ok(first.filteredRows >= 50 && first.filteredRows < 111_111, `the first matches: ${first.filteredRows}`);
      const all = await session.inspect({ type: 'table.filter', handle, filters: [], search: 'name 1' });
      assert.deepEqual([all.partial, all.filteredRows], [undefined, 111_111]);
      const ids = await session.inspect({ type: 'table.summary', handle, column: 0 });
      assert.deepEqual([ids.count, ids.nullCount, ids.min, ids.max], [111_111, 0, '1', '199999']);
      const names = await session.inspect({ type: 'table.summary', handle, column: 1 });
      assert.equal(names.count, 111_111);
      await session.inspect({ type: 'table.release', handle });
    });

    it('binds a DataFrame result to the name its cell ended in, while that name holds it, when pandas is there', async (t) => {
      if (!session.info!.modules.pandas) return t.skip('no pandas in this Python');
      const outcome = await run(session, 'import pandas as pd\ndf = pd.DataFrame({"a": range(10)})\ndf');
      assert.equal(outcome.table?.kind, 'dataframe');
      const bound = await session.inspect({ type: 'table.open', ref: outcome.table!.ref, bind: 'df' });
      assert.equal(bound.source, 'df');
      await run(session, 'df = df[df.a > 6]');
      assert.equal(await session.inspect({ type: 'table.changed', handle: bound.handle }), true);
      assert.equal((await session.inspect({ type: 'table.refresh', handle: bound.handle })).totalRows, 3);
      const series = await run(session, 'df.a.rename("n")');
      assert.deepEqual([series.table?.kind, series.table?.columns, series.table?.dtypes], ['series', ['n'], ['int64']]);
      const snapshot = await session.inspect({ type: 'table.open', ref: series.table!.ref, bind: 'n' });
      assert.equal(snapshot.source, undefined, 'no name holds it: a snapshot');
    });
  });
}
