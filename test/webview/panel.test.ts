// The session panel webview in headless Chromium, built bundle and real CSP: streams, elision, tracebacks, REPL,
// toolbar, rich output, tables, collapse, ANSI, a 10,000-entry transcript, saved state and the three themes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { whenText } from '../../webview/panel/runTimes';
import type { TranscriptEntry } from '../../shared/transcript';
import {
  PNG, SCREENSHOTS, SESSION, SVG, WAIT_MS, closePanel, entry, inEntry, init, openPanel, send, stream, transcriptAtBottom, update, waitForText,
} from './panelSupport';

const TRACEBACK = {
  type: 'ZeroDivisionError',
  message: 'division by zero',
  frames: [
    { file: '<stdin>', line: 1, name: '<module>', text: 'run()' },
    { file: 'analysis.py', line: 3, name: 'run', text: 'return 1/0' },
  ],
  text: 'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n    run()\n'
    + '  File "analysis.py", line 3, in run\n    return 1/0\n           \x1b[31m~^~\x1b[0m\nZeroDivisionError: division by zero\n',
};

afterEach(closePanel);

describe('panel webview', () => {
  it('shows streamed chunks in the order they arrive, stdout and stderr as separate outputs', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { state: 'running', durationMs: undefined })]);
    await view.page.waitForSelector(inEntry('e1', '.pd-outputs'), { state: 'attached' });
    for (let i = 1; i <= 5; i++) await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: `line ${i}\n` });
    await update(view, { type: 'stream', id: 'e1', name: 'stderr', text: 'warning!\n' });
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: 'line 6\n' });
    const timings = { queuedMs: 0.2, startMs: 0.5, runMs: 1234, totalMs: 1236, bytesSent: 52, bytesReceived: 3 * 1024 };
    const startedAt = Date.now() - 2000;
    await update(view, { type: 'state', id: 'e1', state: 'running', startedAt });
    await update(view, { type: 'state', id: 'e1', state: 'done', durationMs: 1234, timings });
    await waitForText(view, inEntry('e1', '.pd-duration'), (t) => t === '1.23 s', 'the duration shows once the run is done');
    assert.equal(await view.page.locator(inEntry('e1', '.pd-duration')).getAttribute('title'),
      `${whenText(startedAt, 1234)}\nqueued 0.2 ms\nsent → started 0.5 ms\nran 1.23 s\nin all 1.24 s\nsent 52 B, received 3.0 KiB`,
      'its hover says when the run happened and where the time went');
    const outputs = await view.page.locator(inEntry('e1', '.pd-output')).evaluateAll((nodes) =>
      nodes.map((n) => [n.querySelector('.pd-stream')?.className, n.querySelector('.pd-stream-text')?.textContent]));
    assert.deepEqual(outputs, [
      ['pd-stream pd-stdout', 'line 1\nline 2\nline 3\nline 4\nline 5\n'],
      ['pd-stream pd-stderr', 'warning!\n'],
      ['pd-stream pd-stdout', 'line 6\n'],
    ]);
    assert.equal(await view.page.locator(inEntry('e1')).getAttribute('data-state'), 'done');
  });

  it('updates only the entry an update touches, appending to the stream it already drew', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { outputs: [stream('stdout', 'one\n')] }), entry('e2', 2, { state: 'running' })]);
    await view.page.waitForSelector(inEntry('e2', '.pd-outputs'), { state: 'attached' });
    await view.page.evaluate(() => {
      const mark = (selector: string) => ((document.querySelector(selector) as HTMLElement & { mark?: boolean }).mark = true);
      mark('[data-entry-id="e1"] .pd-entry-body');
      mark('[data-entry-id="e1"] .pd-stream-text');
    });
    await update(view, { type: 'stream', id: 'e2', name: 'stdout', text: 'first\n' });
    await waitForText(view, inEntry('e2', '.pd-stream-text'), (t) => t === 'first\n', 'e2 shows its first chunk');
    await view.page.evaluate(() => ((document.querySelector('[data-entry-id="e2"] .pd-stream-text')!.firstChild as Node & { mark?: boolean }).mark = true));
    await update(view, { type: 'stream', id: 'e2', name: 'stdout', text: 'second\n' });
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: 'two\n' });
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t === 'one\ntwo\n', 'e1 shows the appended chunk');
    const kept = await view.page.evaluate(() => {
      const marked = (selector: string) => !!(document.querySelector(selector) as HTMLElement & { mark?: boolean }).mark;
      const firstText = document.querySelector('[data-entry-id="e2"] .pd-stream-text')!.firstChild as Node & { mark?: boolean };
      return [marked('[data-entry-id="e1"] .pd-entry-body'), marked('[data-entry-id="e1"] .pd-stream-text'), !!firstText.mark];
    });
    assert.deepEqual(kept, [true, true, true], 'the nodes drawn before the updates (e1 body, e1 stream, e2 text) are the same after them');
  });

  it('shows an elided stream as head, "N lines elided — Open full output", tail; the link opens the full output', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { state: 'running' })]);
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: 'head 1\nhead 2\n' });
    await update(view, { type: 'replaceOutput', id: 'e1', index: 0, output: stream('stdout', 'head 1\nhead 2\n', 5000, 'tail 1\ntail 2\n') });
    const text = await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('tail 2'), 'the tail appears');
    assert.match(text, /^head 1\nhead 2\n.*5,000 lines elided — Open full output.*tail 1\ntail 2\n$/s);
    await view.page.locator(inEntry('e1', '.pd-elision')).getByRole('button', { name: 'Open full output' }).click();
    const message = await view.waitForPosted((body) => body.type === 'panel.openFullOutput');
    assert.deepEqual(message.body, { type: 'panel.openFullOutput', entryId: 'e1' });
  });

  it('draws a burst of output a slice per frame: the whole head in order, then the elision and the tail', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { state: 'running' })]);
    await view.page.waitForSelector(inEntry('e1', '.pd-outputs'), { state: 'attached' });
    const head = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'x'.repeat(90)}\n`).join('');
    const burst = { messageId: 1, body: { type: 'panel.update', update: { type: 'replaceOutput', id: 'e1', index: 0, output: stream('stdout', head, 5000, 'tail 1\ntail 2\n') } } };
    // Each frame: how much of the head the page shows, and whether the elision shows yet.
    const frames = await view.page.evaluate(async (data) => {
      window.dispatchEvent(new MessageEvent('message', { data }));
      const seen: [number, boolean][] = [];
      while (seen.length < 200 && !seen[seen.length - 1]?.[1]) {
        await new Promise(requestAnimationFrame);
        const text = document.querySelector('[data-entry-id="e1"] .pd-stream-text')?.textContent ?? '';
        seen.push([text.length, !!document.querySelector('[data-entry-id="e1"] .pd-elision:not([hidden])')]);
      }
      return seen;
    }, burst as unknown as Record<string, unknown>);
    const growth = frames.map(([length], i) => length - (i ? frames[i - 1][0] : 0));
    assert.ok(frames.length > 5 && Math.max(...growth) <= 10_000, `the head of ${head.length} characters is drawn over several frames, at most 10,000 characters each: ${JSON.stringify(growth)}`);
    assert.ok(frames.every(([length, elided]) => !elided || length === head.length), 'the elision shows only once the head is whole');
    const text = await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('tail 2'), 'the tail appears');
    assert.ok(text.startsWith(head) && text.endsWith('tail 1\ntail 2\n'), 'every line once, in order');
    assert.equal(text.slice(head.length, -'tail 1\ntail 2\n'.length), '5,000 lines elided — Open full output');
  });

  it('redraws only the end of a long head when a carriage return rewrites its last line', async () => {
    const view = await openPanel();
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'y'.repeat(90)}\n`).join('');
    await init(view, [entry('e1', 1, { state: 'running', outputs: [stream('stdout', `${lines}progress 1%`)] })]);
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t.endsWith('progress 1%'), 'the head shows');
    await view.page.evaluate(() => ((document.querySelector('[data-entry-id="e1"] .pd-stream-text')!.firstChild as Node & { mark?: boolean }).mark = true));
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: '\rprogress 50%' });
    const text = await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t.endsWith('progress 50%'), 'the rewritten line shows');
    assert.equal(text, `${lines}progress 50%`);
    assert.ok(await view.page.evaluate(() => !!(document.querySelector('[data-entry-id="e1"] .pd-stream-text')!.firstChild as Node & { mark?: boolean }).mark),
      'the start of the head was kept, not drawn again');
  });

  it('moves an elided stream\'s tail and count on a streamTail update, keeping the head', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { state: 'running', outputs: [stream('stdout', 'head 1\n', 10, 'tail 1\n')] })]);
    await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('tail 1'), 'the stream shows');
    await update(view, { type: 'streamTail', id: 'e1', index: 0, elidedLines: 1234, tail: 'tail 3\n' });
    const text = await waitForText(view, inEntry('e1', '.pd-stream-region'), (t) => t.includes('tail 3'), 'the new tail shows');
    assert.match(text, /^head 1\n.*1,234 lines elided — Open full output.*tail 3\n$/s);
  });

  it('copies an output as text, an elided stream with its elision marked', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { outputs: [stream('stdout', 'a\n', 7, 'z\n')] })]);
    await view.page.locator(inEntry('e1', '.pd-output')).hover();
    await view.page.getByRole('button', { name: 'Copy output' }).click();
    const message = await view.waitForPosted((body) => body.type === 'panel.copy');
    assert.deepEqual(message.body, { type: 'panel.copy', text: 'a\n… 7 lines elided …\nz\n' });
  });

  it('makes traceback frames links that post panel.openLocation, except pseudo files like <stdin>', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { state: 'error', code: 'run()', outputs: [{ kind: 'error', error: TRACEBACK }] })]);
    await waitForText(view, inEntry('e1', '.pd-error-title'), (t) => t === 'ZeroDivisionError: division by zero', 'the error title shows type and message');
    const links = view.page.locator(inEntry('e1', '.pd-frame'));
    assert.deepEqual(await links.allTextContents(), ['  File "analysis.py", line 3, in run'], 'only the analysis.py frame is a link');
    await links.first().click();
    const message = await view.waitForPosted((body) => body.type === 'panel.openLocation');
    assert.deepEqual(message.body, { type: 'panel.openLocation', file: 'analysis.py', line: 3 });
  });

  it('runs REPL input on Enter, adds a line on Shift+Enter and walks the history with Up and Down', async () => {
    const view = await openPanel();
    const request = await view.waitForPosted((body) => body.type === 'panel.history');
    await view.reply(request.messageId, ['x = 1', 'y = 2']);
    const input = view.page.locator('.pd-repl textarea');
    await input.click();
    await view.page.keyboard.type('1+1');
    await view.page.keyboard.press('Enter');
    const run = await view.waitForPosted((body) => body.type === 'panel.run');
    assert.deepEqual(run.body, { type: 'panel.run', code: '1+1' });
    assert.equal(await input.inputValue(), '', 'the input is cleared after running');

    await view.page.keyboard.type('a');
    await view.page.keyboard.press('Shift+Enter');
    await view.page.keyboard.type('b');
    assert.equal(await input.inputValue(), 'a\nb', 'Shift+Enter adds a newline');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'a\nb', 'Up on the second line moves the caret, not the history');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), '1+1', 'Up on the first line recalls the last run');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'y = 2', 'and then the saved history');
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await input.inputValue(), 'a\nb', 'Down past the newest entry gives back the draft');
    const runs = (await view.posted()).filter((m) => m.body.type === 'panel.run');
    assert.equal(runs.length, 1, 'only Enter ran something');

    await view.page.setViewportSize({ width: 360, height: 600 }); // a narrow panel: long lines and the placeholder wrap
    const long = `total = ${Array.from({ length: 30 }, (_, i) => `x${i}`).join(' + ')}`;
    await input.fill(long);
    await view.page.keyboard.press('End');
    await view.page.keyboard.press('Enter');
    await view.waitForPosted((body) => body.type === 'panel.run' && body.code === long);
    assert.equal(await input.evaluate((textarea) => textarea.scrollTop), 0, 'the emptied one-row box shows its first line, not the last line of what ran');
  });

  it('posts interrupt, restart and clear from the toolbar (mouse and keyboard), and panel.cleared empties the view', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1), entry('e2', 2)], { ...SESSION, state: 'busy' });
    await view.page.waitForSelector(inEntry('e2'));
    await view.page.getByRole('button', { name: 'Interrupt', exact: true }).click();
    await view.page.getByRole('button', { name: 'Restart Session', exact: true }).click();
    await view.page.getByRole('button', { name: 'Clear', exact: true }).focus();
    await view.page.keyboard.press('Enter');
    for (const type of ['panel.interrupt', 'panel.restart', 'panel.clear']) await view.waitForPosted((body) => body.type === type);
    await send(view, { type: 'panel.cleared' });
    await view.page.waitForFunction(() => document.querySelectorAll('.pd-entry').length === 0);
    assert.ok(await view.page.locator('.pd-empty').isVisible(), 'the empty transcript says how to start');
  });

  it('shows the session state and description, and the problem when the session died', async () => {
    const view = await openPanel();
    await init(view, []);
    await waitForText(view, '.pd-session-description', (t) => t === SESSION.description, 'the description shows');
    await send(view, { type: 'panel.session', session: { ...SESSION, state: 'dead', problem: 'out of memory (limit 4 GiB)' } });
    await waitForText(view, '.pd-session-description', (t) => t === 'out of memory (limit 4 GiB)', 'the problem replaces the description');
    assert.equal(await view.page.locator('.pd-session-state').textContent(), 'dead');
  });

  it('renders PNG and SVG as images, and HTML only in a sandboxed frame where scripts do not run', async () => {
    const view = await openPanel();
    await view.page.evaluate(() => {
      const w = window as unknown as { framePosts: unknown[] };
      w.framePosts = [];
      window.addEventListener('message', (event) => event.data === 'pydock-script-ran' && w.framePosts.push(event.data));
    });
    const html = '<b>bold html</b><script>document.body.dataset.ran = "yes"; parent.postMessage("pydock-script-ran", "*")</script><p id="after">after</p>';
    await init(view, [entry('e1', 1, {
      outputs: [
        { kind: 'display', display: { mime: 'image/png', data: PNG } },
        { kind: 'display', display: { mime: 'image/svg+xml', data: Buffer.from(SVG).toString('base64') } },
        { kind: 'result', pyType: 'Drawing', repr: '<Drawing>', display: [{ mime: 'image/svg+xml', data: SVG }] },
        { kind: 'display', display: { mime: 'text/html', data: html } },
      ],
    })]);
    await view.page.waitForSelector(inEntry('e1', 'iframe'));
    await view.page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('.pd-image')];
      return images.length === 3 && images.every((img) => img.complete);
    });
    const images = await view.page.locator('.pd-image').evaluateAll((nodes) => (nodes as HTMLImageElement[]).map((img) => [img.src.slice(0, 19), img.naturalWidth]));
    assert.deepEqual(images, [['data:image/png;base', 2], ['data:image/svg+xml;', 40], ['data:image/svg+xml;', 40]], 'all three images decoded under the CSP');
    assert.equal(await view.page.locator('.pd-entry svg').count(), 0, 'SVG is never put into the page');

    const iframe = view.page.locator(inEntry('e1', 'iframe'));
    assert.equal(await iframe.getAttribute('sandbox'), '', 'the frame is sandboxed with no permissions');
    const frame = await (await iframe.elementHandle())!.contentFrame();
    assert.ok(frame, 'the HTML frame loaded');
    await frame.waitForSelector('#after', { state: 'attached' });
    assert.equal(await frame.locator('b').textContent(), 'bold html', 'the HTML renders');
    assert.equal(await frame.locator('body').getAttribute('data-ran'), null, 'the script in the HTML did not run');
    assert.deepEqual(await view.page.evaluate(() => (window as unknown as { framePosts: unknown[] }).framePosts), [], 'the frame posted nothing');
    assert.equal(await view.page.locator('.pd-entry b').count(), 0, 'the HTML is not in the page itself');
  });

  it('previews a table result and opens it in the table viewer', async () => {
    const view = await openPanel();
    const table = {
      kind: 'dataframe' as const, shape: [1000, 2], columns: ['a', 'name'], dtypes: ['int64', 'object'],
      indexNames: [''], index: [['0'], ['1']], rows: [['1', 'x'], ['2', 'y']], ref: 7,
    };
    await init(view, [entry('e1', 1, { code: 'df', outputs: [{ kind: 'result', pyType: 'DataFrame', repr: 'a name\n...', table }] })]);
    await waitForText(view, inEntry('e1', '.pd-table-shape'), (t) => t === 'DataFrame · 1,000 rows × 2 columns', 'the shape shows');
    const cells = await view.page.locator(inEntry('e1', '.pd-table tr')).evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent)));
    assert.deepEqual(cells, [['', 'aint64', 'nameobject'], ['0', '1', 'x'], ['1', '2', 'y']]);
    await waitForText(view, inEntry('e1', '.pd-table-more'), (t) => t === 'First 2 of 1,000 rows', 'the preview says it is partial');
    await view.page.getByRole('button', { name: 'Open in table viewer' }).click();
    const message = await view.waitForPosted((body) => body.type === 'panel.openTable');
    assert.deepEqual(message.body, { type: 'panel.openTable', entryId: 'e1', ref: 7 });
  });

  it('previews a MultiIndex as one labelled column per level, outer labels dimmed where they repeat', async () => {
    const view = await openPanel();
    const table = {
      kind: 'dataframe' as const, shape: [3, 1], columns: ['temperature / mean'], dtypes: ['float64'],
      indexNames: ['city', 'month'], index: [['Oslo', '1'], ['Oslo', '2'], ['Lima', '1']], rows: [['1.5'], ['3.25'], ['5.0']], ref: 8,
    };
    await init(view, [entry('e1', 1, { code: 'g', outputs: [{ kind: 'result', pyType: 'DataFrame', repr: '...', table }] })]);
    await waitForText(view, inEntry('e1', '.pd-table-shape'), (t) => t === 'DataFrame · 3 rows × 1 columns', 'the shape shows');
    const cells = await view.page.locator(inEntry('e1', '.pd-table tr')).evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => `${cell.textContent}${cell.classList.contains('pd-repeat') ? ' (repeat)' : ''}`)));
    assert.deepEqual(cells, [
      ['city', 'month', 'temperature / meanfloat64'],
      ['Oslo', '1', '1.5'],
      ['Oslo (repeat)', '2', '3.25'],
      ['Lima', '1', '5.0'],
    ]);
  });

  it('shows a notice of pydock\'s own with its message only: no code block, count or state', async () => {
    const view = await openPanel();
    const notice = { kind: 'notice' as const, level: 'error' as const, text: 'The session container was removed from outside pydock.' };
    await init(view, [entry('e1', 1), entry('n1', 0, { code: '', source: 'pydock', outputs: [notice] })]);
    await view.page.locator(inEntry('n1', '.pd-output'), { hasText: 'removed from outside' }).waitFor({ state: 'visible' });
    for (const part of ['.pd-count', '.pd-state', '.pd-code']) {
      assert.equal(await view.page.locator(inEntry('n1', part)).isVisible(), false, `a notice has no ${part}`);
      assert.equal(await view.page.locator(inEntry('e1', part)).isVisible(), true, `a run has its ${part}`);
    }
  });

  it('collapses an entry from its header or the keyboard, hiding its code and outputs', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { outputs: [stream('stdout', 'visible\n')] })]);
    const output = view.page.locator(inEntry('e1', '.pd-output'));
    await output.waitFor({ state: 'visible' });
    await view.page.locator(inEntry('e1', '.pd-entry-header')).click();
    const collapse = await view.waitForPosted((body) => body.type === 'panel.collapse');
    assert.deepEqual(collapse.body, { type: 'panel.collapse', entryId: 'e1', collapsed: true });
    await output.waitFor({ state: 'hidden' });
    const toggle = view.page.locator(inEntry('e1', '.pd-toggle'));
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await view.page.keyboard.press('Space');
    await view.waitForPosted((body) => body.type === 'panel.collapse' && body.collapsed === false);
    await output.waitFor({ state: 'visible' });
  });

  it('turns ANSI colours into styled spans coloured by the terminal theme', async () => {
    const view = await openPanel();
    await init(view, [entry('e1', 1, { outputs: [stream('stdout', 'plain \x1b[31mred\x1b[0m \x1b[1;38;5;208mbold orange\x1b[0m end\n')] })]);
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t === 'plain red bold orange end\n', 'escape sequences are not shown');
    const spans = await view.page.locator(inEntry('e1', '.pd-stream-text span')).evaluateAll((nodes) =>
      nodes.map((n) => [n.textContent, n.className, getComputedStyle(n).color]));
    assert.deepEqual(spans, [['red', '', 'rgb(205, 49, 49)'], ['bold orange', 'pd-ansi-bold', 'rgb(255, 135, 0)']]);
    assert.ok(await view.page.locator(inEntry('e1', '.pd-code .hljs-number')).count() > 0, 'the code is highlighted');
  });

  it('keeps a 10,000-entry transcript scrollable, drawing entries as they come into view', async () => {
    const view = await openPanel();
    const entries = Array.from({ length: 10_000 }, (_, i) => entry(`e${i}`, i + 1, {
      code: `print(${i})\nvalue = ${i} * 2`, outputs: [stream('stdout', `${i}\n`), { kind: 'result', pyType: 'int', repr: String(i * 2) }],
    }));
    await init(view, entries);
    await view.page.waitForFunction(() => document.querySelectorAll('.pd-entry').length === 10_000, undefined, { timeout: 4 * WAIT_MS });
    // It opens at the bottom, with the last entry drawn.
    await view.page.waitForSelector(inEntry('e9999', '.pd-result'));
    const drawn = await view.page.locator('.pd-entry-body').count();
    assert.ok(drawn < 200, `only entries near the viewport are drawn, not ${drawn}`);
    await view.page.locator('.pd-transcript').focus();
    await view.page.keyboard.press('Home');
    await view.page.waitForSelector(inEntry('e0', '.pd-result'));
    await view.page.waitForFunction(() => document.querySelector('.pd-transcript')!.scrollTop === 0);
    await view.page.keyboard.press('End');
    await view.page.waitForFunction(() => {
      const list = document.querySelector('.pd-transcript')!;
      const last = document.querySelector('[data-entry-id="e9999"]')!.getBoundingClientRect();
      return last.bottom <= list.getBoundingClientRect().bottom + 1 && last.bottom > 0;
    });
    await update(view, { type: 'add', entry: entry('e10000', 10_001, { state: 'running' }) });
    await view.page.waitForSelector(inEntry('e10000', '.pd-code'));
    assert.equal(await view.page.locator('.pd-entry').count(), 10_000, 'the oldest entry went when the 10,001st came');
    assert.equal(await view.page.locator(inEntry('e0')).count(), 0);
  });

  it('follows the bottom while output arrives, unless the user scrolled up', async () => {
    const view = await openPanel({ height: 400 });
    await init(view, [entry('e1', 1, { state: 'running' })], SESSION, { outputLineLimit: 1000 }); // the transcript scrolls, not the output
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('') });
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t.includes('line 99'), 'the lines arrive');
    await view.page.waitForFunction(transcriptAtBottom);
    await view.page.locator('.pd-transcript').hover();
    await view.page.mouse.wheel(0, -100_000);
    await view.page.waitForFunction(() => document.querySelector('.pd-transcript')!.scrollTop === 0);
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: 'more\n' });
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t.endsWith('more\n'), 'the next line arrives');
    assert.equal(await view.page.locator('.pd-transcript').evaluate((t) => t.scrollTop), 0, 'scrolled up, the view stays where the user put it');
    await view.page.locator('.pd-transcript').focus();
    await view.page.keyboard.press('End');
    await view.page.waitForFunction(transcriptAtBottom);
    await update(view, { type: 'stream', id: 'e1', name: 'stdout', text: Array.from({ length: 50 }, (_, i) => `again ${i}\n`).join('') });
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t.endsWith('again 49\n'), 'the last lines arrive');
    await view.page.waitForFunction(transcriptAtBottom);
  });

  it('saves its state and shows it again after a reload, before panel.init', async () => {
    const first = await openPanel();
    await init(first, [entry('e1', 1, { code: 'print("kept")', outputs: [stream('stdout', 'kept\n')] })]);
    await first.page.waitForFunction(() => {
      const state = (window as unknown as { __state?: { entries?: unknown[] } }).__state;
      return state?.entries?.length === 1;
    });
    const state = await first.savedState();
    assert.equal((state as { session?: { key?: string } }).session?.key, SESSION.key, 'the session key the reload serializer reconnects by');
    await first.close();
    const view = await openPanel({ state });
    await waitForText(view, inEntry('e1', '.pd-stream-text'), (t) => t === 'kept\n', 'the saved entry shows without panel.init');
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`renders a full transcript in the ${theme} theme without page errors`, async () => {
      const view = await openPanel({ theme, height: 900 });
      await init(view, showcase(), { ...SESSION, state: 'busy' });
      await view.page.waitForSelector(inEntry('s6', '.pd-code'));
      await view.page.evaluate(() => document.fonts.ready);
      assert.ok(await view.page.evaluate(() => document.fonts.check('16px codicon')), 'the codicon font loaded');
      const toolbarIcon = await view.page.evaluate(() => {
        const icon = document.querySelector('vscode-toolbar-button')?.shadowRoot?.querySelector('vscode-icon');
        const glyph = icon?.shadowRoot?.querySelector('.codicon');
        return glyph ? getComputedStyle(glyph).fontFamily : 'no glyph';
      });
      assert.equal(toolbarIcon, 'codicon', 'toolbar icons draw with the codicon font inside their shadow roots');
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await view.page.locator('.pd-transcript').evaluate((t) => (t.scrollTop = 0));
      await view.page.screenshot({ path: path.join(SCREENSHOTS, `panel-${theme}.png`) });
      await view.page.locator('.pd-transcript').evaluate((t) => (t.scrollTop = t.scrollHeight));
      await view.page.waitForSelector(inEntry('s9', 'iframe'));
      await view.page.screenshot({ path: path.join(SCREENSHOTS, `panel-${theme}-end.png`) });
      assert.deepEqual(view.errors, [], 'no page errors');
    });
  }
});

/** One entry of every kind, for the theme screenshots. */
function showcase(): TranscriptEntry[] {
  return [
    entry('s1', 1, {
      code: 'import pandas as pd\ndf = pd.read_csv("data.csv")  # load\nprint(f"{len(df)} rows")',
      source: 'analysis.py:1', file: 'analysis.py', line: 1, durationMs: 842,
      outputs: [stream('stdout', '1,000 rows\n\x1b[32mok\x1b[0m \x1b[1;33mwarning\x1b[0m \x1b[38;2;120;160;255mtruecolour\x1b[0m\n')],
    }),
    entry('s2', 2, {
      code: 'df.head()', source: 'analysis.py:5', file: 'analysis.py', line: 5, durationMs: 31,
      outputs: [{
        kind: 'result', pyType: 'DataFrame', repr: '...', table: {
          kind: 'dataframe', shape: [1000, 3], columns: ['city', 'year', 'value'], dtypes: ['object', 'int64', 'float64'],
          indexNames: [''], index: [['0'], ['1'], ['2']], rows: [['Oslo', '2020', '1.5'], ['Lima', '2021', '2.25'], ['Pune', '2022', '3.0']], ref: 1,
        },
      }],
    }),
    entry('s3', 3, {
      code: 'for i in range(10_000):\n    print(i)', durationMs: 2400,
      outputs: [
        stream('stdout', Array.from({ length: 40 }, (_, i) => `${i}\n`).join(''), 9954, '9994\n9995\n9996\n9997\n9998\n9999\n'),
        stream('stderr', 'UserWarning: something looks off\n'),
      ],
    }),
    entry('s4', 4, { code: 'run()', state: 'error', durationMs: 12, outputs: [{ kind: 'error', error: TRACEBACK }] }),
    entry('s5', 5, {
      code: 'plt.plot(x, y); plt.show()', collapsed: true, durationMs: 120,
      outputs: [{ kind: 'display', display: { mime: 'image/png', data: PNG } }],
    }),
    entry('s6', 6, {
      code: 'while True:\n    pass', state: 'interrupted', durationMs: 61_500,
      outputs: [{ kind: 'notice', level: 'warning', text: 'Interrupted: KeyboardInterrupt raised in the running code' }],
    }),
    entry('s7', 7, { code: 'sum(range(10))', state: 'running', durationMs: undefined }),
    entry('s8', 8, { code: 'train(model)', state: 'queued', durationMs: undefined }),
    entry('s9', 9, {
      code: 'styled', durationMs: 4, outputs: [{
        kind: 'result', pyType: 'Styler', repr: '<Styler>',
        display: [{ mime: 'text/html', data: '<table><tr><th>city</th><th>value</th></tr><tr><td>Oslo</td><td style="color:#e44">1.5</td></tr></table>' }],
      }],
    }),
  ];
}
