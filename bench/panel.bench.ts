// Issue 4 figures: a line's way from the agent to the panel DOM, 100 MB of prints, a 10,000-entry transcript.
// Real engine and container, the panel's recorder, and the built panel bundle in Chromium, wired as the extension does.
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import { Recorder } from '../extension/panel/recorder';
import { openWebview, type WebviewHandle } from '../test/webview/page';
import type { TranscriptEntry } from '../shared/transcript';
import { DEFAULT_PANEL_SETTINGS } from '../shared/webviewProtocol';
import { benchSession } from './session.bench';
import { percentile, round } from './stats';

const SESSION_VIEW = { key: 'bench', name: 'bench', state: 'idle', description: 'docker · bench' } as const;

/** Records in the page when each line of interest first appears, and how long the main thread was ever blocked. */
async function instrument(view: WebviewHandle): Promise<void> {
  await view.page.evaluate(`(() => {
    window.__seen = {};
    window.__longest = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
      .observe({ type: 'longtask', buffered: true });
    window.__observer = new MutationObserver(() => {
      const now = performance.timeOrigin + performance.now();
      for (const node of document.querySelectorAll('.pd-stream-text')) {
        for (const match of node.textContent.matchAll(/tick (\\d+) /g)) window.__seen[match[1]] ??= now;
      }
    });
    window.__observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`);
}

async function streamLatency(view: WebviewHandle, recorder: Recorder, session: ReturnType<typeof benchSession>): Promise<number> {
  const lines = 60;
  const code = `import time\nfor i in range(${lines}):\n    print(f"tick {i} {time.time() * 1000:.3f}")\n    time.sleep(0.05)`;
  await recorder.run({ code, source: 'bench' }, (options) => session.exec(code, options));
  await view.page.waitForFunction(`Object.keys(window.__seen).length >= ${lines}`, undefined, { timeout: 30_000 });
  const seen = await view.page.evaluate('window.__seen') as Record<string, number>;
  const stream = recorder.entries[recorder.entries.length - 1].outputs[0];
  const written = Object.fromEntries([...(stream.kind === 'stream' ? stream.head : '').matchAll(/tick (\d+) ([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
  return percentile(Object.keys(written).map((i) => seen[i] - written[i]), 50);
}

async function print100Mb(view: WebviewHandle, recorder: Recorder, session: ReturnType<typeof benchSession>): Promise<{ ms: number; blockedMs: number }> {
  // Playwright injects its script into the page at the first locator (about 10 ms of compiling); like the observer's
  // text scans, that is the harness's work, not the panel's, so it happens before the count starts.
  await view.page.locator('.pd-entry').first().waitFor();
  await view.page.evaluate('window.__observer.disconnect(); window.__longest = 0');
  const code = 'line = "x" * 99\nfor _ in range(1_000_000):\n    print(line)';
  const start = performance.now();
  await recorder.run({ code, source: 'bench' }, (options) => session.exec(code, options));
  await view.page.locator('.pd-entry').last().locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 120_000 });
  const ms = performance.now() - start;
  return { ms, blockedMs: await view.page.evaluate('window.__longest') as number };
}

function transcript(count: number): TranscriptEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `e${i}`, count: i + 1, code: `value_${i} = compute(${i})\nvalue_${i} * 2`, source: `analysis.py:${i * 3 + 1}`,
    state: 'done', durationMs: 3, collapsed: false,
    outputs: [
      { kind: 'stream', name: 'stdout', head: `computing ${i}\ndone ${i}\n`, elidedLines: 0, tail: '' },
      { kind: 'result', pyType: 'int', repr: String(i * 2) },
    ],
  }));
}

async function tenThousandRuns(): Promise<{ ms: number; scrollBlockedMs: number }> {
  const view = await openWebview('panel');
  try {
    await view.waitForPosted((m) => m.type === 'panel.ready');
    await instrument(view);
    // Timed in the page, from the message's arrival to a frame showing the newest entry's code.
    const envelope = { messageId: 1, body: { type: 'panel.init', session: SESSION_VIEW, entries: transcript(10_000), settings: DEFAULT_PANEL_SETTINGS } };
    const ms = await view.page.evaluate(async (data) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const start = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data }));
      while (!document.querySelector('.pd-entry:last-of-type .pd-code')?.textContent?.includes('value_9999')) await frame();
      await frame();
      return performance.now() - start;
    }, envelope as unknown as Record<string, unknown>);
    await view.page.evaluate('window.__longest = 0');
    for (let step = 0; step < 20; step++) {
      await view.page.evaluate((top) => { document.querySelector('.pd-transcript')!.scrollTop = top; }, step * 40_000);
      await view.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    }
    return { ms, scrollBlockedMs: await view.page.evaluate('window.__longest') as number };
  } finally {
    await view.close();
  }
}

export async function benchPanelFigures(): Promise<Record<string, number>> {
  const session = benchSession(await connectBackend({ choice: 'docker', log: silentLogger }));
  const view = await openWebview('panel');
  try {
    await view.waitForPosted((m) => m.type === 'panel.ready');
    await view.send({ type: 'panel.init', session: SESSION_VIEW, entries: [], settings: DEFAULT_PANEL_SETTINGS } as { type: string });
    await instrument(view);
    const recorder = new Recorder((update) => void view.send({ type: 'panel.update', update } as { type: string }));
    await session.eval('1');
    const latency = await streamLatency(view, recorder, session);
    const print = await print100Mb(view, recorder, session);
    const runs = await tenThousandRuns();
    return {
      stream_latency_ms: round(latency, 1),
      panel_100mb_print_ms: round(print.ms, 0),
      panel_100mb_max_block_ms: round(print.blockedMs, 0),
      runs_10k_transcript_ms: round(runs.ms, 0),
      runs_10k_scroll_max_block_ms: round(runs.scrollBlockedMs, 0),
    };
  } finally {
    await view.close();
    await session.stop();
  }
}
