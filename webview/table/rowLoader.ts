// Fetches the rows around the viewport into the cache: coalesced while scrolling fast, few requests in flight.
import type { TableRows } from '../../shared/webviewProtocol';
import { Coalescer } from './coalescer';
import type { CellWindow, RowCache, RowsRequest } from './rowCache';

/** Requests in flight at once; the rest wait and are re-planned from where the viewport is when one returns. */
const MAX_IN_FLIGHT = 2;

export class RowLoader {
  private readonly coalescer = new Coalescer();
  private visible: CellWindow | undefined;
  private inFlight = 0;
  private ticking = false;
  private stopped = false;

  constructor(
    private readonly cache: RowCache,
    private readonly fetchRows: (request: RowsRequest) => Promise<TableRows>,
    /** Something arrived (or failed): redraw. */
    private readonly changed: () => void,
    private readonly failed: (request: RowsRequest, message: string) => void,
  ) {}

  /** The viewport moved: fetch now, or once it settles. */
  viewport(window: CellWindow): void {
    this.visible = window;
    if (this.coalescer.moved(window.firstRow, window.endRow - window.firstRow, performance.now())) this.pump();
    else this.tick();
  }

  /** After a reset of the cache (new schema) or a retry: fetch what the viewport shows. */
  refill(): void {
    this.pump();
  }

  /** The table is gone: nothing more is asked for. */
  stop(): void {
    this.stopped = true;
  }

  /** Watches the frames of a burst until the viewport rests. */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    requestAnimationFrame((now) => {
      this.ticking = false;
      if (this.coalescer.settled(now)) this.pump();
      else this.tick();
    });
  }

  private pump(): void {
    // While a burst settles, its last frame fetches: replies arriving meanwhile ask for nothing.
    if (this.stopped || !this.visible || this.coalescer.settling) return;
    this.cache.trim(this.visible);
    for (const request of this.cache.missing(this.visible)) {
      if (this.inFlight >= MAX_IN_FLIGHT) break;
      void this.send(request);
    }
  }

  private async send(request: RowsRequest): Promise<void> {
    const generation = this.cache.generation;
    this.cache.markLoading(request);
    this.inFlight++;
    try {
      const rows = await this.fetchRows(request);
      if (generation === this.cache.generation) this.cache.store(request, rows);
    } catch (error) {
      if (generation === this.cache.generation) {
        this.cache.fail(request, (error as Error).message);
        this.failed(request, (error as Error).message);
      }
    } finally {
      this.inFlight--;
    }
    this.changed();
    this.pump();
  }
}
