// Issue 5 and 17 figures: the table viewer on a 10M x 10 mixed-dtype frame in one container: first page, random pages,
// sort (against numpy's own argsort), filter, profile, the host's memory while browsing, Jupyter's way; search (its
// first page and its count), the summary of every column, and a live viewer's refresh after a run changed its frame.
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import type { Session } from '../extension/engine/session/session';
import { benchSession } from './session.bench';
import { percentile, round, timeEach } from './stats';

const ROWS = Number(process.env.PYDOCK_BENCH_TABLE_ROWS ?? 10_000_000);
const PAGE = 100;
const PAGES = 300;
const BROWSE_PAGES = 3000;
/** What the bench types into the search box: a name prefix, as one looks a user up (about 11% of the rows match). */
const SEARCH = 'user 12';
/** The matches a search's first answer looks for, as the viewer asks (webview/table/viewControl.ts). */
const FIRST_MATCHES = 200;

const BUILD = `
import time
import numpy as np, pandas as pd
n = ${ROWS}
rng = np.random.default_rng(0)
values = rng.normal(size=n)
score = rng.random(n) * 100
score[rng.random(n) < 0.05] = np.nan
counts = pd.array(rng.integers(0, 1000, n), dtype="Int64")
counts[rng.random(n) < 0.05] = pd.NA
df = pd.DataFrame({
    "id": np.arange(n),
    "value": values,
    "score": score,
    "small": rng.random(n).astype("float32"),
    "name": pd.Series(rng.integers(0, 1_000_000, n)).map("user {}".format).to_numpy(dtype=object),
    "category": pd.Categorical.from_codes(rng.integers(0, 50_000, n), ["cat %d" % i for i in range(50_000)]),
    "when": pd.date_range("2020-01-01", periods=n, freq="s", tz="Europe/Berlin"),
    "flag": rng.random(n) < 0.5,
    "count": counts,
    "delta": pd.to_timedelta(rng.integers(0, 10**9, n), unit="ms"),
})
del values, score, counts
df.dtypes.astype(str).tolist()
`;

/** Milliseconds the agent spends on a statement, timed inside Python with perf_counter. */
async function timedInPython(session: Session, statement: string): Promise<number> {
  const outcome = await session.exec(`import time as _t\n_start = _t.perf_counter()\n${statement}\n(_t.perf_counter() - _start) * 1000`);
  if (!outcome.ok) throw new Error(`bench statement failed: ${outcome.error.text}`);
  return outcome.value as number;
}

async function median(runs: number, body: () => Promise<unknown>): Promise<number> {
  return percentile(await timeEach(runs, body), 50);
}

export async function benchTableFigures(): Promise<Record<string, number>> {
  const docker = await connectBackend({ choice: 'docker', log: silentLogger });
  const session = benchSession(docker, undefined, 16 * 2 ** 30);
  try {
    const built = await session.exec(BUILD);
    if (!built.ok) throw new Error(`building the frame failed: ${built.error.text}`);
    const open = () => session.inspect({ type: 'table.open', expr: 'df' });
    const page = (handle: number, start: number) => session.inspect({ type: 'table.rows', handle, start, end: start + PAGE });
    const release = (handle: number) => session.inspect({ type: 'table.release', handle });

    const firstPage = await median(20, async () => {
      const schema = await open();
      await page(schema.handle, 0);
      await release(schema.handle);
    });

    const { handle, columns } = await open();
    if (columns.length !== 10) throw new Error(`the bench frame has ${columns.length} columns, not 10`);
    const randomStart = () => Math.floor(Math.random() * (ROWS - PAGE));
    await timeEach(20, () => page(handle, randomStart()));
    const pages = await timeEach(PAGES, () => page(handle, randomStart()));

    const valueColumn = columns.findIndex((c) => c.name === 'value');
    // Alternated, so that both see the same load on this shared machine.
    const sorts: number[] = [];
    const argsorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await session.inspect({ type: 'table.sort', handle, keys: [{ column: valueColumn, descending: false }] });
      sorts.push(performance.now() - start);
      await session.inspect({ type: 'table.sort', handle, keys: [] });
      argsorts.push(await timedInPython(session, 'np.argsort(df["value"].to_numpy(), kind="stable")'));
    }
    const sort = percentile(sorts, 50);
    const argsort = percentile(argsorts, 50);

    const filter = await median(3, () => session.inspect({ type: 'table.filter', handle, filters: [{ column: valueColumn, op: 'gt', value: '0.5' }], search: '' }));
    await session.inspect({ type: 'table.filter', handle, filters: [], search: '' });
    const profile = await median(3, () => session.inspect({ type: 'table.profile', handle, column: valueColumn }));

    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    await session.inspect({ type: 'table.sort', handle, keys: [{ column: valueColumn, descending: true }] });
    for (let i = 0; i < BROWSE_PAGES; i++) await page(handle, randomStart());
    const rssGrowth = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    await release(handle);

    const live = await liveFigures(session);
    const jupyter = await timedInPython(session, 'df.to_json(orient="table")');
    return {
      table_rows: ROWS,
      table_first_page_ms: round(firstPage),
      table_page_p50_ms: round(percentile(pages, 50)),
      table_page_p95_ms: round(percentile(pages, 95)),
      table_sort_ms: round(sort, 1),
      numpy_argsort_ms: round(argsort, 1),
      table_sort_vs_numpy_argsort: round(sort / argsort, 3),
      table_filter_ms: round(filter, 1),
      table_profile_ms: round(profile, 1),
      table_host_rss_mb: round(rssGrowth, 1),
      jupyter_viewer_ms: round(jupyter, 0),
      table_first_page_speedup_vs_jupyter: round(jupyter / firstPage, 0),
      ...live,
    };
  } finally {
    await session.stop();
  }
}

/** Numbers as the viewer asks for them (pydock.table.precision's default). */
const NUMBERS = { precision: 6, thousands: false };

/**
 * Search, summaries and a live refresh, on a handle of their own, each a median of 3 from the TypeScript caller: the
 * search's first answer (its first 200 matches in view order) and the time to every match counted (both requests, as
 * the viewer sends them); all ten column summaries one after another, as the viewer asks for them; and, after a run
 * that changes a column of df in place, what the extension and the viewer do: table.changed, table.refresh and the
 * first page of rows, in the original order and sorted by a float column.
 */
async function liveFigures(session: Session): Promise<Record<string, number>> {
  const { handle, columns } = await session.inspect({ type: 'table.open', expr: 'df' });
  const clear = () => session.inspect({ type: 'table.filter', handle, filters: [], search: '' });
  const firsts: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 3; i++) {
    await clear();
    const start = performance.now();
    const first = await session.inspect({ type: 'table.filter', handle, filters: [], search: SEARCH, limit: FIRST_MATCHES });
    firsts.push(performance.now() - start);
    if (first.partial) await session.inspect({ type: 'table.filter', handle, filters: [], search: SEARCH });
    counts.push(performance.now() - start);
  }
  await clear();
  const summary = await median(3, async () => {
    for (let column = 0; column < columns.length; column++) await session.inspect({ type: 'table.summary', handle, column, numbers: NUMBERS });
  });
  const refresh = await liveRefresh(session, handle);
  await session.inspect({ type: 'table.sort', handle, keys: [{ column: 2, descending: true }] }); // score
  const sortedRefresh = await liveRefresh(session, handle);
  await session.inspect({ type: 'table.release', handle });
  return {
    table_search_first_ms: round(percentile(firsts, 50), 1),
    table_search_ms: round(percentile(counts, 50), 1),
    table_summary_ms: round(summary, 1),
    viewer_live_refresh_ms: round(refresh, 1),
    viewer_live_refresh_sorted_ms: round(sortedRefresh, 1),
  };
}

/** Median of 3: a run changes df in place, then table.changed, table.refresh and the first page, as a live viewer asks. */
async function liveRefresh(session: Session, handle: number): Promise<number> {
  const refreshes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const changed = await session.exec('df["value"] = df["value"] * 2');
    if (!changed.ok) throw new Error(`changing df failed: ${changed.error.text}`);
    const start = performance.now();
    if (!(await session.inspect({ type: 'table.changed', handle }))) throw new Error('the live view did not see df change');
    await session.inspect({ type: 'table.refresh', handle });
    await session.inspect({ type: 'table.rows', handle, start: 0, end: PAGE, numbers: NUMBERS });
    refreshes.push(performance.now() - start);
  }
  return percentile(refreshes, 50);
}
