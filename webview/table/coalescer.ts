// When to fetch rows while the viewport moves: at once for small moves, after it rests for jumps and drags.

/**
 * A drag of the scrollbar over millions of rows passes thousands of windows nobody reads. A move of more than a
 * screen starts a burst; fetching waits until the viewport has rested for two frames and `settleMs`, then asks
 * only for where it stopped. Counting frames as well as time keeps a slow machine, whose every frame is late,
 * from taking each step of a drag for a rest. Moves within a screen (wheel, keys) fetch at once.
 */
export class Coalescer {
  private lastFirst: number | undefined;
  private burst = false;
  private lastMove = 0;
  private quietFrames = 0;

  constructor(private readonly settleMs = 60) {}

  /** The viewport now starts at `first`; returns whether to fetch now (false: wait for settled()). */
  moved(first: number, screenRows: number, now: number): boolean {
    const jump = this.lastFirst === undefined ? 0 : Math.abs(first - this.lastFirst);
    this.lastFirst = first;
    if (jump > screenRows) this.burst = true;
    if (!this.burst) return true;
    this.lastMove = now;
    this.quietFrames = 0;
    return false;
  }

  get settling(): boolean {
    return this.burst;
  }

  /** Called once a frame during a burst; true when the burst is over and it is time to fetch. */
  settled(now: number): boolean {
    this.quietFrames++;
    if (this.quietFrames < 2 || now - this.lastMove < this.settleMs) return false;
    this.burst = false;
    return true;
  }
}
