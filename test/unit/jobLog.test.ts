// A job's log as Docker gives it: lines with nanosecond times, a cursor that reads on with no gap or repeat, progress marks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CursorFilter, formatLogLine, parseLogFileLine, parseLogText, progressOf, sinceOf } from '../../extension/engine/jobs/jobLog';
import type { LogLine } from '../../extension/engine/jobs/jobTypes';

const line = (timeNs: bigint, text: string, stream: LogLine['stream'] = 'stdout'): LogLine => ({ timeNs, stream, text });

describe('job logs', () => {
  it('reads Docker\'s timestamps (trailing zeros cut) to the nanosecond, keeps a partial line for later, and round-trips log.txt', () => {
    const { lines, rest } = parseLogText('2026-12-03T17:00:00.5Z a b\n2026-12-03T17:00:00.123456789Z c\r\n2026-12-03T17:00', 'stderr');
    assert.deepEqual(lines.map((l) => [l.timeNs % 1_000_000_000n, l.text]), [[500_000_000n, 'a b'], [123_456_789n, 'c']]);
    assert.equal(rest, '2026-12-03T17:00');
    assert.deepEqual(parseLogFileLine(formatLogLine(lines[1])), lines[1]);
    assert.equal(formatLogLine(lines[0]), '2026-12-03T17:00:00.500000000Z err a b');
  });

  it('a cursor goes on after the last line read, counting lines that share its time, in each pass over a source', () => {
    const all = [line(1n, 'a'), line(2n, 'b'), line(2n, 'c'), line(2n, 'd', 'stderr'), line(3n, 'e')];
    const first = new CursorFilter();
    const read = all.slice(0, 2).filter((l) => first.accept(l));
    assert.deepEqual(first.position.stdout, { timeNs: 2n, seen: 1 });
    const second = new CursorFilter(first.position);
    const sinceTwo = all.slice(1); // Docker's since includes lines at exactly that time
    read.push(...sinceTwo.slice(0, 2).filter((l) => second.accept(l)));
    second.restart(); // then log.txt, from its start
    read.push(...all.filter((l) => second.accept(l)));
    assert.deepEqual(read.map((l) => l.text), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(sinceOf(undefined), undefined);
  });

  it('keeps a cursor per stream: a line of one stream may come after a later-stamped line of the other', () => {
    // As Docker's json-file log holds them: each stream's copier stamps its own lines, and they meet out of time order.
    const all = [line(1n, 'a'), line(30n, 'x', 'stderr'), line(20n, 'b'), line(40n, 'y', 'stderr'), line(35n, 'c')];
    const first = new CursorFilter();
    const read = all.slice(0, 2).filter((l) => first.accept(l));
    assert.equal(sinceOf(first.position), '0.000000001', 'since the earlier stream\'s time');
    const second = new CursorFilter(first.position); // another process, from Docker's since: every line here
    read.push(...all.filter((l) => second.accept(l)));
    assert.deepEqual(read.map((l) => l.text), ['a', 'x', 'b', 'y', 'c']);
    assert.equal(sinceOf(new CursorFilter().position), undefined, 'a stream with nothing read yet: from the start');
    assert.equal(sinceOf({ stdout: { timeNs: 1_796_317_811_000_000_005n, seen: 1 }, stderr: { timeNs: 1_796_317_812_000_000_000n, seen: 1 } }), '1796317811.000000005');
  });

  it('progress is a marked stderr line with JSON; anything else is output', () => {
    assert.deepEqual(progressOf(line(1n, '\x1epydock:progress {"fraction": 0.25, "message": "a quarter"}', 'stderr')), { fraction: 0.25, message: 'a quarter' });
    assert.equal(progressOf(line(1n, '\x1epydock:progress {"fraction": 0.25}', 'stdout')), undefined, 'stdout is the user\'s');
    assert.equal(progressOf(line(1n, '\x1epydock:progress not json', 'stderr')), undefined);
  });
});
