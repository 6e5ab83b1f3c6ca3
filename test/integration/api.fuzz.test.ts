// Property-based: random nested values survive TypeScript → Python → TypeScript (define, then eval) on both images.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime, LocalDate, Marker, Matrix, NA, Ref, Remove, Uri, type Value } from '../../extension/api';
import { requireImages } from './helpers';
import { IMAGES, apiOn } from './apiSupport';

before(requireImages);

const BEYOND_SAFE = 2n ** 53n;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Aware datetimes in the form Python writes them back (no '.000000', never a bare UTC offset without its name). */
const dateTime = fc.record({
  date: fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
  micros: fc.integer({ min: 0, max: 999_999 }),
  offsetMinutes: fc.constantFrom(-330, -300, 60, 120, 345, 720),
}).map(({ date, micros, offsetMinutes }) => {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return new DateTime(`${date.toISOString().slice(0, 19)}${micros ? `.${pad(micros, 6)}` : ''}${offset}`);
});

const leaf: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.maxSafeInteger(), fc.double(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).filter((n) => n > BEYOND_SAFE || n < -BEYOND_SAFE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(Marker, NA, Remove),
  fc.tuple(fc.string(), fc.option(fc.string(), { nil: null })).map(([id, dis]) => new Ref(id, dis)),
  fc.webUrl().map((url) => new Uri(url)),
  fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => new LocalDate(d.toISOString().slice(0, 10))),
  dateTime,
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 12 }).map((v) => new Matrix([v.length], 'int32', Int32Array.from(v))),
  fc.array(fc.double({ noNaN: true }), { minLength: 6, maxLength: 6 }).map((v) => new Matrix([2, 3], 'float64', Float64Array.from(v))),
);

const { value } = fc.letrec<{ value: Value; list: Value[]; object: Record<string, Value>; map: Map<Value, Value> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('object'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5, noNullPrototype: true }),
  // Integer keys: a Map whose keys are all strings comes back as a plain object (the table says so).
  map: fc.array(fc.tuple(fc.integer(), tie('value')), { minLength: 1, maxLength: 4 }).map((entries) => new Map<Value, Value>(entries)),
}));

for (const image of IMAGES) {
  describe(`random values on ${image.name}`, () => {
    const session = apiOn(image.image).session({ name: `fuzz-${image.full ? 'full' : 'bare'}` });

    it('survive a round trip through Python unchanged', async () => {
      await fc.assert(fc.asyncProperty(value, async (v) => {
        const back = await session.py().define('v', v).eval('v');
        assert.deepStrictEqual(back, v);
      }), { numRuns: 300 });
    });
  });
}
