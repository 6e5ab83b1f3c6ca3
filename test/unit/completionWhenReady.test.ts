// Asking the live server again while jedi is still reading: until items come, the list is complete, time is up or no one waits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ASK_AGAIN_MS, completionWhenReady, stillReading } from '../../extension/engine/lsp/completionWhenReady';

const reading = { isIncomplete: true, items: [] };
const ready = { isIncomplete: false, items: [{ label: 'dumps' }] };

/** An ask that answers the given lists in turn (the last one from then on), counting its calls. */
function answers(...lists: unknown[]) {
  const ask = async () => lists[Math.min(ask.calls++, lists.length - 1)];
  ask.calls = 0;
  return ask;
}

describe('completion when ready', () => {
  it('asks again while the list is empty and incomplete, and gives the first list with items', async () => {
    const ask = answers(reading, reading, ready);
    assert.deepEqual(await completionWhenReady(ask, () => false), ready);
    assert.equal(ask.calls, 3);
  });

  it('gives any other answer at once: items marked incomplete (too many to send), an empty complete list, none', async () => {
    for (const answer of [{ isIncomplete: true, items: [{ label: 'a' }] }, { isIncomplete: false, items: [] }, null, undefined, [{ label: 'a' }]]) {
      const ask = answers(answer, ready);
      assert.deepEqual(await completionWhenReady(ask, () => false), answer);
      assert.equal(ask.calls, 1, JSON.stringify(answer));
    }
  });

  it('stops asking when the patience runs out, with the last answer', async () => {
    const ask = answers(reading);
    const started = Date.now();
    assert.deepEqual(await completionWhenReady(ask, () => false, ASK_AGAIN_MS * 3), reading);
    assert.ok(ask.calls >= 2 && ask.calls <= 4, `${ask.calls} asks`);
    assert.ok(Date.now() - started < ASK_AGAIN_MS * 6);
  });

  it('stops asking once the caller no longer waits (typed on, closed the widget)', async () => {
    const ask = answers(reading, reading, ready);
    let cancelled = false;
    const answer = completionWhenReady(ask, () => cancelled);
    cancelled = true;
    assert.deepEqual(await answer, reading);
    assert.equal(ask.calls, 1);
  });

  it('reads "still reading" only from an empty list marked incomplete', () => {
    assert.equal(stillReading(reading), true);
    assert.equal(stillReading({ isIncomplete: true, items: [{}] }), false);
    assert.equal(stillReading({ items: [] }), false);
    assert.equal(stillReading(null), false);
  });
});
