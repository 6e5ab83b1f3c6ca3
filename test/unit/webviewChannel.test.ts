// The webview channel: every request gets a reply (a value, its handler's error, or why no handler answers it), events
// get none and their failures reach the side that handled them, and the protocol's request tables type it all. The
// lines marked as expected type errors are the compile-time half: `npm run typecheck` fails if any of them compiles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableRows, TableSchema } from '../../shared/agentProtocol';
import { Channel, RequestError, type Handlers, type Port } from '../../shared/messaging';
import type { Envelope, FromPanel, FromTable, ToPanel, ToTable } from '../../shared/webviewProtocol';

/** Two ports joined as the extension and a page are: messages arrive later, as structured clones. */
function joined(): { extension: Port; page: Port; posted: Envelope<unknown>[] } {
  const posted: Envelope<unknown>[] = [];
  const listeners: { extension?: (m: Envelope<unknown>) => void; page?: (m: Envelope<unknown>) => void } = {};
  const port = (self: 'extension' | 'page', other: 'extension' | 'page'): Port => ({
    post: (message) => {
      posted.push(message);
      const copy = structuredClone(message);
      setImmediate(() => listeners[other]?.(copy));
    },
    onMessage: (listener) => { listeners[self] = listener; },
  });
  return { extension: port('extension', 'page'), page: port('page', 'extension'), posted };
}

const schema: TableSchema = {
  handle: 2, kind: 'dataframe', columns: [], indexLevels: [], totalRows: 3, filteredRows: 3, sort: [], filters: [], search: '',
};
const rows: TableRows = { start: 0, positions: [], index: [], cells: [], firstColumn: 0, filteredRows: 3 };

/** The extension's side of a table viewer, with these request handlers (the rest fail). */
function tableExtension(port: Port, overrides: Partial<Handlers<FromTable>['requests']> = {}) {
  const events: string[] = [];
  const failures: string[] = [];
  const refuse = () => { throw new Error('not in this test'); };
  const channel = new Channel<FromTable, ToTable>(port);
  channel.handle({
    event: (message) => {
      events.push(message.type);
      if (message.type === 'table.cancel') throw new Error(`no request ${message.request} to cancel`);
    },
    eventFailed: (message, error) => failures.push(`${message.type}: ${(error as Error).message}`),
    requests: {
      'table.rows': refuse, 'table.cell': refuse, 'table.sort': refuse, 'table.filter': refuse, 'table.profile': refuse,
      'table.summary': refuse, 'table.export': refuse, 'table.copyCode': refuse, 'table.copy': refuse, 'table.refresh': refuse,
      ...overrides,
    },
  });
  return { channel, events, failures };
}

describe('webview channel', () => {
  it('answers a request with its handler\'s value, typed by the request table', async () => {
    const { extension, page } = joined();
    tableExtension(extension, { 'table.refresh': () => schema, 'table.cell': async ({ row, column }) => `cell ${row},${column}` });
    const viewer = new Channel<ToTable, FromTable>(page);
    const refreshed: TableSchema = await viewer.request({ type: 'table.refresh' });
    const text: string = await viewer.request({ type: 'table.cell', row: 4, column: 1 });
    assert.deepEqual([refreshed, text], [schema, 'cell 4,1']);
  });

  it('answers a request whose handler returns nothing, so its sender never waits for ever', async () => {
    const { extension, page, posted } = joined();
    const copied: string[] = [];
    tableExtension(extension, { 'table.copy': ({ text }) => { copied.push(text); } });
    const viewer = new Channel<ToTable, FromTable>(page);
    assert.equal(await viewer.request({ type: 'table.copy', text: 'a\tb' }), undefined);
    assert.deepEqual(copied, ['a\tb']);
    assert.deepEqual(posted.map((m) => [m.request ?? false, m.inReplyTo ?? null]), [[true, null], [false, 1]]);
  });

  it('rejects a request with the error its handler threw, word for word', async () => {
    const { extension, page } = joined();
    tableExtension(extension, {
      'table.refresh': async () => { throw new Error("df could not be read again: NameError: name 'df' is not defined."); },
    });
    const viewer = new Channel<ToTable, FromTable>(page);
    await assert.rejects(viewer.request({ type: 'table.refresh' }),
      (error: unknown) => error instanceof RequestError && error.message === "df could not be read again: NameError: name 'df' is not defined.");
  });

  it('answers a request no handler knows with an error naming it, and one sent before handlers were set likewise', async () => {
    const { extension, page } = joined();
    new Channel<FromTable, ToTable>(extension); // no handlers yet
    const viewer = new Channel<ToTable, FromTable>(page);
    await assert.rejects(viewer.request({ type: 'table.copyCode' }), /"table.copyCode" is not a request this side answers/);
    const other = joined();
    tableExtension(other.extension);
    const confused = new Channel<ToPanel, FromPanel>(other.page); // a page speaking another protocol
    await assert.rejects(confused.request({ type: 'panel.history' }), /"panel.history" is not a request this side answers/);
  });

  it('gives an event no reply, and hands its handler\'s failure to eventFailed', async () => {
    const { extension, page, posted } = joined();
    const { events, failures } = tableExtension(extension);
    const viewer = new Channel<ToTable, FromTable>(page);
    viewer.send({ type: 'table.ready' });
    viewer.send({ type: 'table.cancel', request: 9 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(events, ['table.ready', 'table.cancel']);
    assert.deepEqual(failures, ['table.cancel: no request 9 to cancel']);
    assert.equal(posted.filter((m) => m.inReplyTo !== undefined).length, 0, 'no replies to events');
  });

  it('fails every waiting request at once when its side closes', async () => {
    const { extension, page } = joined();
    tableExtension(extension, { 'table.export': () => new Promise<string | null>(() => undefined) }); // never answers
    const viewer = new Channel<ToTable, FromTable>(page);
    const exporting = viewer.request({ type: 'table.export', format: 'csv' });
    let sent = 0;
    const profiling = viewer.request({ type: 'table.profile', column: 1 }, (messageId) => { sent = messageId; });
    assert.equal(sent, 2, 'onSent gets the messageId, for table.cancel');
    viewer.failAll('the table viewer was closed');
    await assert.rejects(exporting, /the table viewer was closed/);
    await assert.rejects(profiling, /the table viewer was closed/);
  });

  it('lets the compiler check requests, replies and handlers against the protocol', () => {
    const { page } = joined();
    const viewer = new Channel<ToTable, FromTable>(page);
    const checks = async () => {
      // @ts-expect-error an event is sent, not asked
      await viewer.request({ type: 'table.ready' });
      // @ts-expect-error a request is asked, not sent as an event
      viewer.send({ type: 'table.refresh' });
      // @ts-expect-error the reply's type comes from the table, not from the caller
      const wrong: number = await viewer.request({ type: 'table.cell', row: 0, column: 0 });
      // @ts-expect-error a request's parameters are checked
      await viewer.request({ type: 'table.rows', start: 0 });
      const rowsReply: TableRows = await viewer.request({ type: 'table.rows', start: 0, end: 1 });
      return [wrong, rowsReply];
    };
    const handlers = (requests: Handlers<FromTable>['requests']) => requests;
    // @ts-expect-error every request of the table needs a handler: table.refresh is missing
    handlers({ 'table.rows': () => rows, 'table.cell': () => '', 'table.sort': () => schema, 'table.filter': () => schema, 'table.profile': () => { throw new Error(); }, 'table.export': () => null, 'table.copyCode': () => undefined, 'table.copy': () => undefined });
    // @ts-expect-error a handler answers with its request's reply type
    handlers({ 'table.rows': () => 'rows', 'table.cell': () => '', 'table.sort': () => schema, 'table.filter': () => schema, 'table.profile': () => { throw new Error(); }, 'table.export': () => null, 'table.copyCode': () => undefined, 'table.copy': () => undefined, 'table.refresh': () => schema });
    void checks;
  });
});
