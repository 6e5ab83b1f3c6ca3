// Every row of the marshalling table, both ways, against real containers with and without numpy/pandas/msgpack.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  DateTime, Grid, LocalDate, LocalTime, Marker, Matrix, NA, Ref, Remove, Uri, type MatrixData, type Value,
} from '../../extension/api';
import { requireImages } from './helpers';
import { IMAGES, apiOn } from './apiSupport';

before(requireImages);

const MATRIX_DTYPES: [string, (values: number[]) => MatrixData][] = [
  ['float64', (v) => Float64Array.from(v)], ['float32', (v) => Float32Array.from(v)],
  ['int8', (v) => Int8Array.from(v)], ['int16', (v) => Int16Array.from(v)], ['int32', (v) => Int32Array.from(v)],
  ['int64', (v) => BigInt64Array.from(v, BigInt)], ['uint8', (v) => Uint8Array.from(v)], ['uint16', (v) => Uint16Array.from(v)],
  ['uint32', (v) => Uint32Array.from(v)], ['uint64', (v) => BigUint64Array.from(v, BigInt)],
];

for (const image of IMAGES) {
  describe(`marshalling table on ${image.name}`, () => {
    const session = apiOn(image.image).session({ name: `marshal-${image.full ? 'full' : 'bare'}` });
    before(() => session.exec('import datetime, math, zoneinfo, pydock'));

    /** Defines x, checks it with a Python expression, and resolves with x as it comes back: one request. */
    async function cross(value: Value, check: string): Promise<Value> {
      const [ok, back, seen] = await session.py().define('x', value).eval(`[bool(${check}), x, repr(x)]`) as [boolean, Value, string];
      assert.equal(ok, true, `expected Python to see ${check}, it saw ${seen}`);
      return back;
    }

    it('null ↔ None (undefined is sent as None too)', async () => {
      assert.equal(await cross(null, 'x is None'), null);
      assert.equal(await cross(undefined as unknown as Value, 'x is None'), null);
    });

    it('Marker, NA and Remove ↔ the pydock singletons, by identity', async () => {
      assert.equal(await cross(Marker, 'x is pydock.Marker'), Marker);
      assert.equal(await cross(NA, 'x is pydock.NA'), NA);
      assert.equal(await cross(Remove, 'x is pydock.Remove'), Remove);
    });

    it('booleans ↔ bool', async () => {
      assert.equal(await cross(true, 'x is True'), true);
      assert.equal(await cross(false, 'x is False'), false);
    });

    it('integers ↔ int, exactly, at every size', async () => {
      for (const n of [0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
        assert.equal(await cross(n, `type(x) is int and x == ${n}`), n);
      }
      for (const n of [2n ** 53n + 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 64n, -(2n ** 100n), 3n ** 150n]) {
        assert.equal(await cross(n, `type(x) is int and x == ${n}`), n, `${n} comes back as the same bigint`);
      }
      assert.equal(await session.eval('2**53 + 1'), 2n ** 53n + 1n, 'a Python int beyond 2^53 arrives as bigint');
    });

    it('floats ↔ float, with NaN, ±Infinity and -0', async () => {
      for (const f of [1.5, -2.25e-300, 1e300, 0.1]) assert.equal(await cross(f, `type(x) is float and x == ${f}`), f);
      assert.ok(Number.isNaN(await cross(NaN, 'type(x) is float and math.isnan(x)')));
      assert.equal(await cross(Infinity, 'x == math.inf'), Infinity);
      assert.equal(await cross(-Infinity, 'x == -math.inf'), -Infinity);
      assert.ok(Object.is(await cross(-0, 'type(x) is float and x == 0 and math.copysign(1, x) < 0'), -0), '-0 stays -0');
    });

    it('Ref ↔ pydock.Ref', async () => {
      assert.deepEqual(await cross(new Ref('p:1', 'Site'), "isinstance(x, pydock.Ref) and (x.id, x.dis) == ('p:1', 'Site')"), new Ref('p:1', 'Site'));
      assert.deepEqual(await cross(new Ref('p:2'), "x == pydock.Ref('p:2') and x.dis is None"), new Ref('p:2'));
    });

    it('strings ↔ str, in any script', async () => {
      for (const s of ['', 'plain', 'ünïcode ✓ 🐍 中文', 'line\nbreak\ttab\u0000nul']) {
        assert.equal(await cross(s, `type(x) is str and x == ${JSON.stringify(s)} and len(x) == ${[...s].length}`), s);
      }
    });

    it('Uri ↔ the str subclass pydock.Uri', async () => {
      const back = await cross(new Uri('https://example.com/a?b=c'), "type(x) is pydock.Uri and x == 'https://example.com/a?b=c'");
      assert.deepEqual(back, new Uri('https://example.com/a?b=c'));
    });

    it('Time, Date and DateTime ↔ datetime.time, date and datetime, time zone kept', async () => {
      assert.deepEqual(await cross(new LocalTime('23:59:59.123456'), 'x == datetime.time(23, 59, 59, 123456)'), new LocalTime('23:59:59.123456'));
      assert.deepEqual(await cross(new LocalDate('2024-02-29'), 'x == datetime.date(2024, 2, 29)'), new LocalDate('2024-02-29'));
      const berlin = new DateTime('2024-07-01T12:00:00.123456+02:00', 'Europe/Berlin');
      assert.deepEqual(await cross(berlin, "x.tzinfo.key == 'Europe/Berlin' and x.utcoffset() == datetime.timedelta(hours=2) and x.microsecond == 123456"), berlin);
      const offset = new DateTime('2024-01-02T03:04:05-05:30');
      assert.deepEqual(await cross(offset, 'x.utcoffset() == -datetime.timedelta(hours=5, minutes=30)'), offset);
      const naive = new DateTime('2024-01-02T03:04:05');
      assert.deepEqual(await cross(naive, 'x.tzinfo is None and x.hour == 3'), naive);
      const fromDate = await cross(new globalThis.Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) as unknown as Value,
        'x.tzinfo is datetime.timezone.utc and x == datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, datetime.timezone.utc)');
      assert.deepEqual(fromDate, new DateTime('2024-01-02T03:04:05.678000+00:00', 'UTC'), 'a JS Date travels as a UTC DateTime');
      assert.deepEqual(await session.eval("datetime.datetime(2024, 11, 3, 1, 30, tzinfo=zoneinfo.ZoneInfo('America/New_York'))"),
        new DateTime('2024-11-03T01:30:00-04:00', 'America/New_York'));
    });

    it('Uint8Array and Buffer ↔ bytes', async () => {
      const back = await cross(Buffer.from([0, 255, 1]), "type(x) is bytes and x == b'\\x00\\xff\\x01'");
      assert.ok(Buffer.isBuffer(back), 'bytes arrive as a Buffer');
      assert.deepEqual([...(back as Uint8Array)], [0, 255, 1]);
      const view = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3);
      assert.deepEqual([...(await cross(view, "x == b'\\x08\\x07'") as Uint8Array)], [8, 7], 'only the bytes of a view are sent');
    });

    it('decoded bytes are a view of the received frame, not a copy', async () => {
      const big = await session.eval("b'z' * 2_000_000") as Uint8Array;
      assert.equal(big.length, 2_000_000);
      assert.ok(big.byteOffset > 0 && big.buffer.byteLength - big.byteLength < 256,
        `expected a view into a frame buffer only a header larger; buffer ${big.buffer.byteLength}, offset ${big.byteOffset}`);
    });

    it('plain objects ↔ dict, and Maps ↔ dicts with keys that are not strings', async () => {
      const object = { a: 1, b: { c: [true, null], 'with space': 'ok' } };
      assert.deepEqual(await cross(object, "x == {'a': 1, 'b': {'c': [True, None], 'with space': 'ok'}}"), object);
      const map = new Map<Value, Value>([[1, 'one'], [2.5, 'two and a half'], ['s', new Map<Value, Value>([[null, 1]])]]);
      assert.deepEqual(await cross(map, "x == {1: 'one', 2.5: 'two and a half', 's': {None: 1}}"), map);
      assert.deepEqual(await cross(new Map<Value, Value>([['only', 'strings']]), "x == {'only': 'strings'}"), { only: 'strings' },
        'a Map whose keys are all strings comes back as a plain object');
      assert.deepEqual(await session.eval("{(1, 2): 'tuple key'}"), new Map([[[1, 2], 'tuple key']]));
    });

    it('arrays ↔ list; tuples come back as arrays', async () => {
      const list = [1, 'two', [3.5, [false]]];
      assert.deepEqual(await cross(list, "type(x) is list and x == [1, 'two', [3.5, [False]]]"), list);
      assert.deepEqual(await session.eval('(1, (2, 3))'), [1, [2, 3]]);
    });

    it('Grid ↔ pydock.Grid, with grid and column meta', async () => {
      const grid = new Grid({ dis: 'Sites' }, [{ name: 'id', meta: {} }, { name: 'area', meta: { unit: 'm²' } }, { name: 'site', meta: {} }],
        [{ id: new Ref('s1'), area: 1200.5, site: Marker }, { id: new Ref('s2'), area: null, site: Marker }]);
      const back = await cross(grid, "isinstance(x, pydock.Grid) and x.meta == {'dis': 'Sites'} and x.col_names == ['id', 'area', 'site']" +
        " and x.cols[1]['meta'] == {'unit': 'm²'} and x.rows[0]['id'] == pydock.Ref('s1') and x.rows[1]['area'] is None");
      assert.deepEqual(back, grid);
    });

    it('a Grid built in Python with GridBuilder arrives whole', async () => {
      const built = await session.eval("pydock.GridBuilder().set_meta({'dis': 't'}).add_col('a').add_col('b', {'unit': 'kW'})" +
        ".add_row([1, 'x']).add_row([2, pydock.Marker]).to_grid()");
      assert.deepEqual(built, new Grid({ dis: 't' }, [{ name: 'a', meta: {} }, { name: 'b', meta: { unit: 'kW' } }], [{ a: 1, b: 'x' }, { a: 2, b: Marker }]));
    });

    it('Matrix ↔ numpy.ndarray (pydock.Matrix without numpy): every dtype, shape kept, row-major', async () => {
      const values = [1, 2, 3, 4, 5, 100];
      for (const [dtype, make] of MATRIX_DTYPES) {
        const matrix = new Matrix([2, 3], dtype, make(values));
        const check = image.full
          ? `type(x).__name__ == 'ndarray' and x.shape == (2, 3) and str(x.dtype) == '${dtype}' and x.flags.writeable and x[1, 2] == 100`
          : `type(x) is pydock.Matrix and x.shape == (2, 3) and x.dtype == '${dtype}'`;
        const back = await cross(matrix, `${check} and x.tolist() == [[1, 2, 3], [4, 5, 100]]`) as Matrix;
        assert.deepEqual(back, matrix, `${dtype} comes back with its shape, dtype and data`);
      }
      const plain = await cross(new Int32Array([7, -8]) as unknown as Value, image.full ? "x.tolist() == [7, -8] and str(x.dtype) == 'int32'" : 'x.tolist() == [7, -8]') as Matrix;
      assert.deepEqual([plain.shape, plain.dtype, [...plain.data]], [[2], 'int32', [7, -8]], 'a bare typed array is a 1-D matrix');
    });

    if (image.full) {
      it('ndarrays in any memory order or byte order arrive row-major, little-endian; bool as bool', async () => {
        const fortran = await session.eval("__import__('numpy').asfortranarray(__import__('numpy').arange(6, dtype='>i2').reshape(2, 3))") as Matrix;
        assert.deepEqual([fortran.shape, fortran.dtype, [...fortran.data]], [[2, 3], 'int16', [0, 1, 2, 3, 4, 5]]);
        const flags = await session.eval("__import__('numpy').array([[True, False, True]])") as Matrix;
        assert.deepEqual([flags.shape, flags.dtype, [...flags.data]], [[1, 3], 'bool', [1, 0, 1]]);
        assert.equal(await cross(flags, "str(x.dtype) == 'bool' and x.tolist() == [[True, False, True]]") instanceof Matrix, true);
      });

      it('Grid ↔ DataFrame through Grid.to_dataframe and Grid.from_dataframe; a returned DataFrame arrives as a Grid', async () => {
        const grid = new Grid({}, [{ name: 'a', meta: {} }, { name: 'b', meta: {} }], [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: 'z' }]);
        const [check, frame, fromFrame] = await session.py().define('g', grid).exec('df = g.to_dataframe()')
          .eval("[list(df.columns) == ['a', 'b'] and str(df['a'].dtype) == 'int64' and df['b'].tolist() == ['x', 'y', 'z'], df," +
            " pydock.Grid.from_dataframe(df, {'dis': 'from a frame'})]") as [boolean, Grid, Grid];
        assert.equal(check, true, 'to_dataframe gives typed columns');
        assert.deepEqual(frame, grid, 'the DataFrame comes back as the same Grid');
        assert.deepEqual(fromFrame, new Grid({ dis: 'from a frame' }, grid.columns, grid.rows));
        const indexed = await session.eval("__import__('pandas').DataFrame({'v': [1.5]}, index=__import__('pandas').Index(['r1'], name='key'))");
        assert.deepEqual(indexed, new Grid({}, [{ name: 'key', meta: {} }, { name: 'v', meta: {} }], [{ key: 'r1', v: 1.5 }]), 'a named index becomes a column');
      });
    } else {
      it('Grid works without pandas, and to_dataframe says pandas is missing', async () => {
        const [hasPandas, message] = await session.exec(
          "import importlib.util\ntry:\n    pydock.Grid().to_dataframe()\n    m = ''\nexcept ImportError as e:\n    m = str(e)\n" +
          "[importlib.util.find_spec('pandas') is not None, m]") as [boolean, string];
        assert.equal(hasPandas, false, 'the bare image really has no pandas');
        assert.match(message, /needs pandas/);
      });
    }
  });
}
