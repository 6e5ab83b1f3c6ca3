// Issue 6 figures: marshalling throughput each way (float64 arrays, records) and pool.map's overhead per item.
import { createApi, Matrix, type PyApi } from '../extension/api';
import { BENCH_IMAGE } from './session.bench';
import { percentile, round, timeEach } from './stats';

const FLOATS = 10_000_000;
const RECORDS = 100_000;
const POOL_ITEMS = 5_000;
const RUNS = 5;

/** Median time of `body` in milliseconds, after one warm-up run. */
async function median(body: () => Promise<unknown>): Promise<number> {
  await body();
  return percentile(await timeEach(RUNS, body), 50);
}

async function float64(api: PyApi): Promise<{ toPython: number; fromPython: number }> {
  const session = api.session({ name: 'bench-float64' });
  const matrix = new Matrix([FLOATS], 'float64', Float64Array.from({ length: FLOATS }, (_, i) => i * 0.5));
  const megabytes = matrix.data.byteLength / 1e6;
  const toPython = await median(() => session.define('m', matrix));
  if (await session.eval('(type(m).__name__, m.shape, float(m[-1]))').then(JSON.stringify) !== JSON.stringify(['ndarray', [FLOATS], (FLOATS - 1) * 0.5])) {
    throw new Error('float64: the array did not arrive whole');
  }
  const fromPython = await median(async () => {
    const back = await session.eval('m');
    if (!(back instanceof Matrix) || back.data.length !== FLOATS) throw new Error('float64: wrong result');
  });
  await session.close();
  return { toPython: megabytes / (toPython / 1000), fromPython: megabytes / (fromPython / 1000) };
}

async function records(api: PyApi): Promise<{ toPython: number; fromPython: number }> {
  const session = api.session({ name: 'bench-records' });
  const rows = Array.from({ length: RECORDS }, (_, i) => ({ id: i, name: `item ${i}`, value: i * 0.25, ok: i % 2 === 0 }));
  const toPython = await median(() => session.define('rows', rows));
  await session.exec(`made = [{"id": i, "name": "item %d" % i, "value": i * 0.25, "ok": i % 2 == 0} for i in range(${RECORDS})]`);
  const fromPython = await median(async () => {
    const back = await session.eval('made');
    if (!Array.isArray(back) || back.length !== RECORDS) throw new Error('records: wrong result');
  });
  await session.close();
  return { toPython: RECORDS / (toPython / 1000), fromPython: RECORDS / (fromPython / 1000) };
}

async function poolOverheadMs(api: PyApi): Promise<number> {
  const pool = api.pool({ size: 4 });
  await pool.start();
  const items = Array.from({ length: POOL_ITEMS }, (_, i) => i);
  const ms = await median(() => pool.map('lambda x: x', items));
  await pool.close();
  return ms / POOL_ITEMS;
}

export async function benchApiFigures(): Promise<Record<string, number>> {
  const api = createApi({ defaults: { image: BENCH_IMAGE, backend: 'docker', memory: '8g' } });
  try {
    const floats = await float64(api);
    const dicts = await records(api);
    const overhead = await poolOverheadMs(api);
    return {
      marshal_float64_mb_per_s: round(Math.min(floats.toPython, floats.fromPython), 1),
      marshal_float64_to_python_mb_per_s: round(floats.toPython, 1),
      marshal_float64_from_python_mb_per_s: round(floats.fromPython, 1),
      marshal_records_per_s: Math.round(Math.min(dicts.toPython, dicts.fromPython)),
      marshal_records_to_python_per_s: Math.round(dicts.toPython),
      marshal_records_from_python_per_s: Math.round(dicts.fromPython),
      pool_map_overhead_ms: round(overhead, 4),
    };
  } finally {
    await api.closeAll();
  }
}
