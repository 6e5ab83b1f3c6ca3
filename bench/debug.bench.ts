// Issue 13 figures: Debug Cell on a running session to the stopped event at a breakpoint on the cell's second line,
// the first time in an agent (debugpy imported and listening) and the times after.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PydockDebugAdapter } from '../extension/engine/debug/debugAdapter';
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import { Session } from '../extension/engine/session/session';
import { ScriptedDapClient } from '../test/integration/dapClient';
import { BENCH_IMAGE } from './session.bench';
import { percentile, round } from './stats';

const NEXT_RUNS = 9;
const CELL = 'z = base * 2\nw = z + 1\n';

/** What Debug Cell does, timed from the first DAP message to the stopped event; then Continue and disconnect. */
async function debugCellStop(session: Session, workspace: string, file: string): Promise<number> {
  let adapter: PydockDebugAdapter;
  const client = new ScriptedDapClient((message) => adapter.handle(message));
  adapter = new PydockDebugAdapter({ session: async () => session, workspace, run: (s, code, options) => s.exec(code, options) },
    (message) => client.receive(message), silentLogger);
  const start = performance.now();
  await client.ask('initialize', { adapterID: 'pydock', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  const launched = client.request('launch', { code: CELL, file, line: 4 });
  await client.event('initialized');
  await client.ask('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 5 }] });
  await client.ask('configurationDone');
  if (!(await launched).success) throw new Error('debug bench: the launch failed');
  const stopped = await client.event('stopped');
  const elapsed = performance.now() - start;
  await client.ask('continue', { threadId: stopped.body!.threadId });
  await client.event('terminated');
  await client.ask('disconnect', {});
  return elapsed;
}

export async function benchDebugFigures(): Promise<Record<string, number>> {
  const backend = await connectBackend({ choice: 'docker', log: silentLogger });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-bench-debug-'));
  const file = path.join(workspace, 'cells.py');
  fs.writeFileSync(file, `# %%\nbase = 20\n# %%\n${CELL}`);
  const session = new Session({
    name: 'bench', log: silentLogger, backend: async () => backend,
    launch: { image: BENCH_IMAGE, workspace, workspaceReadOnly: false, env: {}, memoryBytes: 4 << 30, workspaceLabel: 'bench-debug', sessionLabel: 'bench' },
  });
  try {
    if (!(await session.exec('base = 20')).ok) throw new Error('debug bench: the session did not run');
    const first = await debugCellStop(session, workspace, file);
    const next: number[] = [];
    for (let i = 0; i < NEXT_RUNS; i++) next.push(await debugCellStop(session, workspace, file));
    return { debug_cell_stop_first_ms: round(first), debug_cell_stop_ms: round(percentile(next, 50)) };
  } finally {
    await session.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
