// Changes of the view (sort, filters, search, refresh) as requests to the agent: the latest wins, and the one it
// replaces is cancelled there; a search shows its first page of matches at once and counts the rest after.
import type { ColumnFilter, SortKey, TableSchema } from '../../shared/webviewProtocol';
import type { NoticeKind } from './notices';

/** Matches a search's first answer looks for: a few screens of rows. */
export const FIRST_MATCHES = 200;

/** How a new schema relates to the one shown: the view changed, it grew at its end (a search counted the rest), or
 * the data itself was read again. */
export type SchemaChange = 'view' | 'grow' | 'data';

export interface ViewRequests {
  /** Each `onSent` gets the request's messageId, for cancelling it. */
  sort(keys: SortKey[], onSent: (messageId: number) => void): Promise<TableSchema>;
  filter(filters: ColumnFilter[], search: string, limit: number | undefined, onSent: (messageId: number) => void): Promise<TableSchema>;
  refresh(): Promise<TableSchema>;
  cancel(messageId: number): void;
}

/** Where a failed change says why (the notice bar). */
export interface ViewNotices {
  show(id: string, kind: NoticeKind, text: string): void;
  clear(id: string): void;
}

export interface ViewTarget {
  apply(schema: TableSchema, change: SchemaChange): void;
  busy(delta: number): void;
}

type Ask = <T>(send: (onSent: (messageId: number) => void) => Promise<T>) => Promise<T>;
type Show = (schema: TableSchema, change: SchemaChange) => boolean;

class Superseded extends Error {}

export class ViewControl {
  private token = 0;
  /** The messageId of the sort or filter request on its way, which the next change cancels. */
  private running: number | undefined;

  constructor(private readonly requests: ViewRequests, private readonly target: ViewTarget, private readonly notices: ViewNotices) {}

  sort(keys: SortKey[]): Promise<void> {
    return this.run('Sorting', async (ask, show) => {
      show(await ask((sent) => this.requests.sort(keys, sent)), 'view');
    });
  }

  /** With a search: its first page of matches, then (when it stopped there) every match. */
  filter(filters: ColumnFilter[], search: string): Promise<void> {
    return this.run('Filtering', async (ask, show) => {
      if (!search) {
        show(await ask((sent) => this.requests.filter(filters, search, undefined, sent)), 'view');
        return;
      }
      const first = await ask((sent) => this.requests.filter(filters, search, FIRST_MATCHES, sent));
      if (show(first, 'view') && first.partial) show(await ask((sent) => this.requests.filter(filters, search, undefined, sent)), 'grow');
    });
  }

  /**
   * Reads the source again. A sort or filter on its way is not cancelled (it is what the user asked for; its answer,
   * after this one, shows the new data in its view), but its answer to come no longer replaces this one.
   */
  async refresh(): Promise<TableSchema> {
    const token = ++this.token;
    this.running = undefined;
    this.target.busy(1);
    try {
      const next = await this.requests.refresh();
      if (token === this.token) this.target.apply(next, 'data');
      return next;
    } finally {
      this.target.busy(-1);
    }
  }

  private async run(what: string, body: (ask: Ask, show: Show) => Promise<void>): Promise<void> {
    if (this.running !== undefined) this.requests.cancel(this.running);
    this.running = undefined;
    const token = ++this.token;
    const ask: Ask = async (send) => {
      if (token !== this.token) throw new Superseded();
      try {
        return await send((messageId) => {
          if (token === this.token) this.running = messageId;
        });
      } finally {
        if (token === this.token) this.running = undefined;
      }
    };
    const show: Show = (schema, change) => {
      if (token !== this.token) return false;
      this.notices.clear('view');
      this.target.apply(schema, change);
      return true;
    };
    this.target.busy(1);
    try {
      await body(ask, show);
    } catch (error) {
      if (token === this.token && !(error instanceof Superseded)) this.notices.show('view', 'error', `${what} failed: ${(error as Error).message}`);
    } finally {
      this.target.busy(-1);
    }
  }
}
