/**
 * RandomState against numpy 1.24's legacy RandomState, and glibcLog against glibc 2.36's log(), bit for bit
 * (fixtures: test/fixtures/numpy-random.json, libm-log.json, tutorial-reference.json).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { glibcLog } from '../../src/core/glibcLog';
import { RandomState } from '../../src/core/random';
import { assertSameDoubles, bits, f64FromBase64, fixture, fromHex, pow2, toHex } from './helpers';

interface SeedFixture {
  seed: number;
  mt19937_uint32: { from: number; words: number[] }[];
  random_sample_20: number[];
  randn_21: number[];
  uniform_m10_10_10: number[];
  'uniform_m3.5_2.25_10': number[];
  'normal_5_0.5_9': number[];
  randint: { low: number; high: number; values: number[] }[];
  permutation: Record<string, number[]>;
  shuffle_arange_50: number[];
  sequential: { call: string; n: number; low?: number; high?: number; values: number[] }[];
}

const numpy = fixture('numpy-random.json');
const seeds: SeedFixture[] = numpy.seeds;

function draw(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

describe('RandomState: numpy legacy RandomState, bit for bit', () => {
  for (const s of seeds) {
    describe(`seed ${s.seed}`, () => {
      it(`gives numpy's raw MT19937 words for seed ${s.seed}, across regenerations of the state`, () => {
        const rng = new RandomState(s.seed);
        const last = Math.max(...s.mt19937_uint32.map((p) => p.from + p.words.length));
        const words = draw(last, () => rng.nextUint32());
        for (const part of s.mt19937_uint32) {
          assert.deepEqual(words.slice(part.from, part.from + part.words.length), part.words, `words ${part.from}..`);
        }
      });

      it(`matches numpy random_sample bit for bit for seed ${s.seed}`, () => {
        const rng = new RandomState(s.seed);
        assertSameDoubles(draw(20, () => rng.randomSample()), s.random_sample_20, 'random_sample');
      });

      it(`matches numpy randn bit for bit for seed ${s.seed} (21 values: the last pair half-used)`, () => {
        const rng = new RandomState(s.seed);
        assertSameDoubles(draw(21, () => rng.randn()), s.randn_21, 'randn');
      });

      it(`matches numpy uniform and normal bit for bit for seed ${s.seed}`, () => {
        let rng = new RandomState(s.seed);
        assertSameDoubles(draw(10, () => rng.uniform(-10, 10)), s.uniform_m10_10_10, 'uniform(-10, 10)');
        rng = new RandomState(s.seed);
        assertSameDoubles(draw(10, () => rng.uniform(-3.5, 2.25)), s['uniform_m3.5_2.25_10'], 'uniform(-3.5, 2.25)');
        rng = new RandomState(s.seed);
        assertSameDoubles(draw(9, () => rng.normal(5, 0.5)), s['normal_5_0.5_9'], 'normal(5, 0.5)');
      });

      it(`matches numpy randint(low, high) for seed ${s.seed}, small ranges up to 2**32`, () => {
        for (const r of s.randint) {
          const rng = new RandomState(s.seed);
          assert.deepEqual(draw(r.values.length, () => rng.randint(r.low, r.high)), r.values, `randint(${r.low}, ${r.high})`);
        }
      });

      it(`matches numpy permutation(n) for seed ${s.seed} and n = 1, 2, 3, 10, 100`, () => {
        for (const [n, expected] of Object.entries(s.permutation)) {
          assert.deepEqual(Array.from(new RandomState(s.seed).permutation(Number(n))), expected, `permutation(${n})`);
        }
      });

      it(`matches numpy shuffle of arange(50) for seed ${s.seed}, on a plain array and on an Int32Array`, () => {
        const plain = Array.from({ length: 50 }, (_, i) => i);
        assert.equal(new RandomState(s.seed).shuffle(plain), plain, 'shuffles in place');
        assert.deepEqual(plain, s.shuffle_arange_50);
        const typed = Int32Array.from({ length: 50 }, (_, i) => i);
        assert.deepEqual(Array.from(new RandomState(s.seed).shuffle(typed)), s.shuffle_arange_50);
      });

      it(`keeps numpy's state across mixed calls for seed ${s.seed} (the cached Gaussian survives other draws)`, () => {
        const rng = new RandomState(s.seed);
        for (const c of s.sequential) {
          let got: number[];
          switch (c.call) {
            case 'randn':
              got = draw(c.n, () => rng.randn());
              break;
            case 'random_sample':
              got = draw(c.n, () => rng.randomSample());
              break;
            case 'permutation':
              got = Array.from(rng.permutation(c.n));
              break;
            case 'randint':
              got = draw(c.n, () => rng.randint(c.low!, c.high!));
              break;
            case 'uniform':
              got = draw(c.n, () => rng.uniform(c.low!, c.high!));
              break;
            default:
              throw new Error(`unknown call ${c.call}`);
          }
          assertSameDoubles(got, c.values, `${c.call}(${c.n})`);
        }
      });
    });
  }

  it(`matches numpy randn bit for bit for seed ${numpy.randn_bulk_seed} over ${numpy.randn_bulk_count} values (the glibc log path)`, () => {
    const expected = f64FromBase64(numpy.randn_bulk_f64_base64);
    assert.equal(expected.length, numpy.randn_bulk_count);
    const rng = new RandomState(numpy.randn_bulk_seed);
    assertSameDoubles(draw(expected.length, () => rng.randn()), expected, 'randn');
  });

  it("matches the tutorial reference's RandomState(42) outputs, fresh and in sequence", () => {
    const ref = fixture('tutorial-reference.json');
    const fresh = ref.rng_RandomState42_fresh_each;
    assert.deepEqual(draw(10, ((r) => () => r.nextUint32())(new RandomState(42))), fresh.mt19937_uint32_10);
    assertSameDoubles(draw(10, ((r) => () => r.randomSample())(new RandomState(42))), fresh.random_sample_10, 'random_sample');
    assertSameDoubles(draw(10, ((r) => () => r.randn())(new RandomState(42))), fresh.randn_10, 'randn');
    assertSameDoubles(draw(4, ((r) => () => r.uniform(-10, 10))(new RandomState(42))), fresh.uniform_m10_10_size4, 'uniform');
    assert.deepEqual(Array.from(new RandomState(42).permutation(10)), fresh.permutation_10);
    const seq = ref.rng_RandomState42_sequential;
    const rng = new RandomState(42);
    assertSameDoubles(draw(10, () => rng.randomSample()), seq.random_sample_10, 'random_sample');
    assertSameDoubles(draw(10, () => rng.randn()), seq.randn_10, 'randn');
    assertSameDoubles(draw(4, () => rng.uniform(-10, 10)), seq.uniform_m10_10_size4, 'uniform');
    assert.deepEqual(Array.from(rng.permutation(10)), seq.permutation_10);
  });

  it('defaults to seed 0', () => {
    const a = new RandomState();
    const b = new RandomState(0);
    assert.deepEqual(draw(5, () => a.nextUint32()), draw(5, () => b.nextUint32()));
  });

  it('rejects seeds numpy rejects: negative, >= 2**32, fractional, NaN', () => {
    for (const seed of [-1, 2 ** 32, 1.5, NaN, Infinity]) assert.throws(() => new RandomState(seed), RangeError, `seed ${seed}`);
    assert.doesNotThrow(() => new RandomState(2 ** 32 - 1));
  });

  it('rejects randint with high <= low, as numpy does', () => {
    assert.throws(() => new RandomState(0).randint(5, 5), RangeError);
    assert.throws(() => new RandomState(0).randint(5, 2), RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// glibc log
// ---------------------------------------------------------------------------------------------------------

const MASK64 = (1n << 64n) - 1n;

/** splitmix64, as SplitMix64 in scripts/fixtures/make-fixtures.py. */
class SplitMix64 {
  private state: bigint;
  constructor(seed: number) {
    this.state = BigInt(seed) & MASK64;
  }
  next(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
  unit(): number {
    return Number((this.next() >> 11n) + 1n) * pow2(-53);
  }
}

function nextAfter(x: number, toward: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  const b = v.getBigUint64(0);
  v.setBigUint64(0, toward > x ? b + 1n : b - 1n); // positive x only
  return v.getFloat64(0);
}

/** The fixture's inputs, as log_inputs in scripts/fixtures/make-fixtures.py makes them. */
function logInputs(seed: number, perKind: number): number[] {
  const rng = new SplitMix64(seed);
  const xs: number[] = [];
  for (let i = 0; i < perKind; i++) xs.push(rng.unit());
  for (let i = 0; i < perKind; i++) xs.push(0.9375 + rng.unit() * (1.064697265625 - 0.9375));
  for (let got = 0; got < perKind; ) {
    const x1 = 2.0 * rng.unit() - 1.0;
    const x2 = 2.0 * rng.unit() - 1.0;
    const r2 = x1 * x1 + x2 * x2;
    if (r2 > 0 && r2 < 1) {
      xs.push(r2);
      got++;
    }
  }
  for (let got = 0; got < perKind; ) {
    const u = rng.unit();
    const e = Number(rng.next() % 1075n);
    const x = u * pow2(-e);
    if (x > 0) {
      xs.push(x);
      got++;
    }
  }
  for (let i = 0; i < Math.floor(perKind / 10); i++) {
    const u = rng.unit();
    const e = Number(rng.next() % 64n);
    xs.push(1.0 + u * pow2(e));
  }
  xs.push(
    1.0, 0.5, 0.25, pow2(-1022), pow2(-1074), pow2(-1060) * 3, 0.9375, 1.064697265625,
    nextAfter(0.9375, 0), nextAfter(1.064697265625, 0), nextAfter(1, 0), nextAfter(1, 2),
    0.7, 0.1, 1e-300, 1e-310, pow2(-1022) * (1 - pow2(-52)),
  );
  return xs;
}

function f64Bytes(values: ArrayLike<number>): Buffer {
  const b = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) b.writeDoubleLE(values[i], 8 * i);
  return b;
}

describe('glibcLog: glibc 2.36 log(), bit for bit', () => {
  const libm = fixture('libm-log.json');
  const xs = logInputs(libm.seed, libm.per_kind);

  it('regenerates the fixture inputs exactly (same splitmix64 stream as the Python generator)', () => {
    assert.equal(xs.length, libm.count);
    const firsts: string[] = libm.first_inputs_hex;
    const pk = libm.per_kind;
    const ours = [...xs.slice(0, 5), ...xs.slice(pk, pk + 3), ...xs.slice(2 * pk, 2 * pk + 3), ...xs.slice(3 * pk, 3 * pk + 3)];
    assert.deepEqual(ours.map(toHex), firsts);
    assertSameDoubles(firsts.map(fromHex), ours, 'float.hex parsing');
    assert.equal(createHash('sha256').update(f64Bytes(xs)).digest('hex'), libm.inputs_sha256);
  });

  const MIN_NORMAL = 2.2250738585072014e-308;
  const ys = xs.map(glibcLog);
  /** Explicit libm values by input index: a failure names the input, our bits and libm's. */
  function explicitMismatches(keep: (x: number) => boolean): string[] {
    const explicit = f64FromBase64(libm.explicit_f64_base64);
    const idx: number[] = (libm.explicit_indices as [number, number][]).flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
    assert.equal(explicit.length, idx.length);
    const wrong: string[] = [];
    idx.forEach((i, k) => {
      if (keep(xs[i]) && !Object.is(ys[i], explicit[k])) wrong.push(`log(${toHex(xs[i])}) = ${bits(ys[i])}, libm ${bits(explicit[k])}`);
    });
    return wrong;
  }

  it(`equals libm's log bit for bit on every normal input of the fixture (uniform in (0,1], near 1, r^2 of the polar method, tiny, above 1: ${libm.normal_count} values)`, () => {
    const normalIdx = xs.map((x, i) => (x >= MIN_NORMAL ? i : -1)).filter((i) => i >= 0);
    assert.equal(normalIdx.length, libm.normal_count);
    const ours = normalIdx.map((i) => ys[i]);
    const chunk: number = libm.chunk;
    const hashes: string[] = libm.chunk_sha256_64;
    assert.equal(hashes.length, Math.ceil(ours.length / chunk));
    const badChunks: string[] = [];
    hashes.forEach((h, c) => {
      const got = createHash('sha256').update(f64Bytes(ours.slice(c * chunk, (c + 1) * chunk))).digest('hex').slice(0, 16);
      if (got !== h) badChunks.push(`inputs ${normalIdx[c * chunk]}..${normalIdx[Math.min(ours.length, (c + 1) * chunk) - 1]}`);
    });
    const wrong = explicitMismatches((x) => x >= MIN_NORMAL);
    assert.deepEqual({ wrong: wrong.slice(0, 10), badChunks }, { wrong: [], badChunks: [] }, 'glibcLog differs from libm');
  });

  it("equals libm's log bit for bit on subnormal inputs (below 2^-1022)", () => {
    const expected = f64FromBase64(libm.subnormal_f64_base64);
    const subIdx = xs.map((x, i) => (x < MIN_NORMAL ? i : -1)).filter((i) => i >= 0);
    assert.equal(subIdx.length, libm.subnormal_count);
    const wrong: string[] = [];
    subIdx.forEach((i, k) => {
      if (!Object.is(ys[i], expected[k])) wrong.push(`log(${toHex(xs[i])}) = ${ys[i]} (${bits(ys[i])}), libm ${expected[k]} (${bits(expected[k])})`);
    });
    assert.ok(wrong.length === 0, `${wrong.length} of ${subIdx.length} subnormal inputs differ from libm, e.g.\n  ${wrong.slice(0, 4).join('\n  ')}`);
  });

  it("returns 0 for 1 and log's special values for 0, negatives and NaN", () => {
    assert.ok(Object.is(glibcLog(1), 0));
    assert.ok(Object.is(glibcLog(0), -Infinity));
    assert.ok(Number.isNaN(glibcLog(-1)));
    assert.ok(Number.isNaN(glibcLog(NaN)));
    assert.ok(Number.isNaN(glibcLog(-Infinity)));
  });

  it('returns Infinity for Infinity, as log does', () => {
    let got: number;
    try {
      got = glibcLog(Infinity);
    } catch (e) {
      assert.fail(`glibcLog(Infinity) threw ${String(e)}`);
    }
    assert.equal(got, Infinity);
  });

  it('is never more than one ulp from Math.log on the fixture inputs (a sanity check of the check)', () => {
    let worst = 0;
    for (const x of xs) {
      const a = glibcLog(x);
      const b = Math.log(x);
      const ulp = Math.abs(nextAfter(Math.abs(b), Infinity) - Math.abs(b));
      worst = Math.max(worst, Math.abs(a - b) / ulp);
    }
    assert.ok(worst <= 1, `worst ${worst} ulp`);
  });
});
