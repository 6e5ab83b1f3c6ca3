// Issue 12 figures: live completion and hover through the LSP tunnel the editor's client uses, idle and while code
// runs, with jedi's Interpreter completing the same namespace in the same container as the peer.
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import { LspTunnel, type JsonRpcMessage } from '../extension/engine/lsp/lspTunnel';
import type { Session } from '../extension/engine/session/session';
import { benchSession } from './session.bench';
import { percentile, round, timeEach } from './stats';

const URI = 'file:///workspace/bench.py';
const WARM_UP = 100;
const SAMPLES = 1000;
const BUSY_SAMPLES = 300;

const NAMESPACE = `
import numpy as np, pandas as pd
globals().update({'name_%d' % i: i for i in range(10_000)})
df = pd.DataFrame({'price': np.random.rand(1_000_000), 'count': np.arange(1_000_000), 'city': np.random.choice(['Oslo', 'Lima'], 1_000_000)})
big = pd.DataFrame({'a': np.random.rand(10_000_000), 'b': np.arange(10_000_000), 'c': np.random.rand(10_000_000) > 0.5})
`;

/** The same JSON-RPC exchange the VS Code client makes over its transports: a request out, its reply back by id. */
class TunnelClient {
  private readonly tunnel: LspTunnel;
  private readonly waiting = new Map<number, (message: JsonRpcMessage) => void>();
  private nextId = 1;

  constructor(session: Session) {
    this.tunnel = new LspTunnel(session);
    this.tunnel.onMessage((message) => this.waiting.get(message.id as number)?.(message));
  }

  async request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    const reply = new Promise<JsonRpcMessage>((resolve) => this.waiting.set(id, resolve));
    void this.tunnel.send({ jsonrpc: '2.0', id, method, params });
    const message = await reply;
    this.waiting.delete(id);
    if (message.error) throw new Error(`lsp bench: ${method} failed: ${message.error.message}`);
    return message.result;
  }

  /** The document's text becomes `text`, sent as the client sends a change: not waited for, the request follows it. */
  type(text: string): { textDocument: { uri: string }; position: { line: number; character: number } } {
    void this.tunnel.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'python', version: this.nextId, text } } });
    return { textDocument: { uri: URI }, position: { line: 0, character: text.length } };
  }
}

/** Completion round trips, alternating a name prefix over 10,000 names with the attributes and columns of df. */
async function completions(client: TunnelClient, runs: number): Promise<number[]> {
  let turn = 0;
  return timeEach(runs, async () => {
    const where = client.type(turn++ % 2 ? 'df.' : 'name_4');
    const list = await client.request('textDocument/completion', where) as { items: { detail?: string }[] };
    if (!list.items.length) throw new Error('lsp bench: a completion came back empty');
    if (list.items.some((item) => item.detail !== 'live')) throw new Error('lsp bench: a completion of the live path went through jedi');
  });
}

/** p95 of completions while each of two loops runs: sleeping (the GIL free) and numpy (holding it between calls). */
async function busyCompletions(session: Session, client: TunnelClient): Promise<number[]> {
  const samples: number[] = [];
  for (const loop of ['import time\nwhile True: time.sleep(0.001)', 'import numpy as np\nx = np.random.rand(1_000_000)\nwhile True: y = np.sqrt(x).sum()']) {
    const running = session.exec(loop); // written before the completions, so the agent runs it before they arrive
    samples.push(...await completions(client, BUSY_SAMPLES));
    await session.interrupt();
    const outcome = await running;
    if (outcome.ok || outcome.error.type !== 'KeyboardInterrupt') throw new Error('lsp bench: the busy loop did not end by interrupt');
  }
  return samples;
}

const JEDI_TIMING = `
def _bench_jedi_interpreter_ms():
    import time, jedi
    samples = []
    for _ in range(6):
        started = time.perf_counter()
        jedi.Interpreter('df.', [globals()]).complete()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples[1:])[2]
`;

/** jedi's Interpreter completing `df.` on the same namespace, timed inside the agent: median of 5 after a warm-up. */
async function jediInterpreterMs(session: Session): Promise<number | undefined> {
  const outcome = await session.exec(`${JEDI_TIMING}\n_bench_jedi_interpreter_ms()`);
  return outcome.ok ? outcome.value as number : undefined;
}

export async function benchLspFigures(): Promise<Record<string, number>> {
  const session = benchSession(await connectBackend({ choice: 'docker', log: silentLogger }));
  try {
    const built = await session.exec(NAMESPACE);
    if (!built.ok) throw new Error(`lsp bench: the namespace was not built: ${built.error.text}`);
    const client = new TunnelClient(session);
    await client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    await completions(client, WARM_UP);
    const idle = await completions(client, SAMPLES);
    const hover = client.type('big');
    await timeEach(WARM_UP, () => client.request('textDocument/hover', hover));
    const hovers = await timeEach(SAMPLES, () => client.request('textDocument/hover', hover));
    const busy = await busyCompletions(session, client);
    const jedi = await jediInterpreterMs(session);
    const p50 = percentile(idle, 50);
    return {
      lsp_completion_p50_ms: round(p50),
      lsp_completion_p99_ms: round(percentile(idle, 99)),
      lsp_completion_busy_p95_ms: round(percentile(busy, 95)),
      lsp_hover_p50_ms: round(percentile(hovers, 50)),
      ...(jedi === undefined ? {} : { jedi_interpreter_complete_ms: round(jedi, 1), lsp_completion_speedup_vs_jedi: round(jedi / p50, 1) }),
    };
  } finally {
    await session.stop();
  }
}
