// When a run happened and where its time went, as the duration's hover in the panel says it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationTitle, whenText } from '../../webview/panel/runTimes';

/** Local times, so the test reads the same in every time zone. */
const at = (day: number, h: number, m: number, s: number) => new Date(2026, 11, day, h, m, s).getTime();
const NOW = at(3, 18, 0, 0);

describe('run times', () => {
  it('says when a run happened: today, yesterday, or on its date, and when a long one finished', () => {
    assert.equal(whenText(at(3, 14, 3, 7), 420, NOW), 'Ran today at 14:03:07');
    assert.equal(whenText(at(3, 14, 3, 7), 124_000, NOW), 'Ran today at 14:03:07, finished at 14:05:11');
    assert.equal(whenText(at(2, 9, 0, 5), 12, NOW), 'Ran yesterday at 09:00:05');
    assert.equal(whenText(at(1, 23, 59, 0), 120_000, NOW), 'Ran on 2026-12-01 at 23:59:00, finished 2026-12-02 at 00:01:00');
    assert.equal(whenText(at(3, 17, 59, 0), undefined, NOW), 'Started today at 17:59:00');
  });

  it('puts when first, then where the time and bytes went', () => {
    const timings = { queuedMs: 0.2, startMs: 0.5, runMs: 1234, totalMs: 1236, bytesSent: 52, bytesReceived: 3 * 1024 };
    assert.equal(durationTitle(at(3, 14, 3, 7), 1234, timings, NOW),
      'Ran today at 14:03:07, finished at 14:03:08\nqueued 0.2 ms\nsent → started 0.5 ms\nran 1.23 s\nin all 1.24 s\nsent 52 B, received 3.0 KiB');
    assert.equal(durationTitle(undefined, 5, undefined, NOW), '', 'a saved entry without its start has nothing to say');
  });
});
