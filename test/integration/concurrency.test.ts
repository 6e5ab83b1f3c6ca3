// Many sessions at once against real containers: twenty started together, each sent 100 runs at once, lose nothing.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { BARE_IMAGE, newSession, requireImages } from './helpers';
import { runInOrder } from './orderedRuns';

const SESSIONS = 20;
const RUNS = 100;

before(requireImages);

it(`starts ${SESSIONS} sessions at once; each answers its ${RUNS} runs, every answer and printed line once and in order`, async () => {
  const target = { name: 'docker (bare python3)', backend: 'docker' as const, image: BARE_IMAGE };
  const sessions = Array.from({ length: SESSIONS }, () => newSession(target, { memoryBytes: 256 << 20 }));
  const results = await Promise.allSettled(sessions.map((session) => runInOrder(session, RUNS)));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`session ${i}: ${(r.reason as Error).message}`] : []));
  assert.deepEqual(failures, [], 'every session answered every run');
  assert.ok(sessions.every((s) => s.state === 'idle'), 'and all of them are idle afterwards');
});
