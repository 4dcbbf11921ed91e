/**
 * numpy's legacy `RandomState`, reproduced bit for bit so that our datasets are scikit-learn's datasets.
 *
 * The generator is MT19937 seeded with `init_genrand` (what `RandomState(int)` does). Doubles are built
 * from two 32-bit words as numpy does: ((a >> 5) * 2^26 + (b >> 6)) / 2^53. Gaussians use the legacy polar
 * Box-Muller method with the second value of each pair cached.
 */
import { glibcLog } from './glibcLog';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** Where a RandomState stands: MT19937's 624 words and position, and the cached second Gaussian. */
export interface GeneratorPosition {
  mt: Uint32Array;
  index: number;
  hasGauss: boolean;
  gauss: number;
}

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to float rounding.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** A copy of the generator where it stands (to go on from there later, or elsewhere). */
  saveState(): GeneratorPosition {
    return { mt: Uint32Array.from(this.mt), index: this.index, hasGauss: this.hasGauss, gauss: this.gauss };
  }

  /** Puts the generator back where `saveState` found it. */
  loadState(s: GeneratorPosition): void {
    this.mt.set(s.mt);
    this.index = s.index;
    this.hasGauss = s.hasGauss;
    this.gauss = s.gauss;
  }

  /** The next raw 32-bit word of MT19937 (numpy's `next_uint32`). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits (`random_sample`). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in [low, high) (`uniform`): low + (high - low) * random_sample. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.randomSample();
  }

  /** Standard normal by the legacy polar method (`randn`, `standard_normal`). */
  randn(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.gauss;
      this.gauss = 0;
      return cached;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * glibcLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** Normal with mean `loc` and standard deviation `scale` (`normal`): loc + scale * gauss. */
  normal(loc: number, scale: number): number {
    return loc + scale * this.randn();
  }

  /**
   * Uniform integer in [0, max] by masked rejection on 32-bit words (numpy's `random_interval`), the
   * draw used by `shuffle` and `permutation`. Supports max < 2^32.
   */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Integer in [low, high) (`randint` with the default int64 dtype): masked rejection, as numpy. */
  randint(low: number, high: number): number {
    if (!(high > low)) throw new RangeError(`randint: high (${high}) must be greater than low (${low})`);
    if (high - low > 0x100000000) throw new RangeError('randint: ranges above 2**32 are not supported (numpy draws 64-bit words for them)');
    return low + this.interval(high - 1 - low);
  }

  /** Fisher-Yates shuffle in place, from the end, as numpy's legacy `shuffle` of a 1-d array. */
  shuffle<T extends { length: number; [i: number]: number }>(x: T): T {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** A shuffled `arange(n)` (`permutation(n)`). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/**
 * PyTorch's CPU generator (`CPUGeneratorImpl`), as `torch.manual_seed(seed)` and `torch.Generator().manual_seed(seed)`
 * leave it: the same MT19937 as numpy's, seeded by `init_genrand` with the seed's low 32 bits (torch keeps a 64-bit
 * seed but its mt19937 takes `seed & 0xffffffff`). The draws are torch's, not numpy's: `random()` is one 32-bit
 * word, `random64()` two words with the first one high.
 */
export class TorchGenerator {
  private readonly mt: RandomState;

  constructor(seed: number | bigint = 0) {
    // A bigint is a 64-bit seed (what random_() draws for a sampler); a number is a model file's seed.
    this.mt = new RandomState(typeof seed === 'bigint' ? Number(BigInt.asUintN(32, seed)) : seed);
  }

  /** One raw 32-bit word (`CPUGeneratorImpl::random`): what float32 `uniform_` and `randperm` draw from. */
  random(): number {
    return this.mt.nextUint32();
  }

  /** A copy of where the generator stands (a trainer's checkpoint). */
  saveState(): GeneratorPosition {
    return this.mt.saveState();
  }

  loadState(s: GeneratorPosition): void {
    this.mt.loadState(s);
  }

  /** Skips `count` 32-bit words. */
  skip(count: number): void {
    for (let i = 0; i < count; i++) this.mt.nextUint32();
  }

  /**
   * `torch.empty((), dtype=torch.int64).random_().item()`: random64() = (first word << 32) | second word, taken
   * modulo 2^63 (int64's max + 1), so the value is never negative.
   */
  randomInt64(): bigint {
    const hi = BigInt(this.mt.nextUint32());
    const lo = BigInt(this.mt.nextUint32());
    return ((hi << 32n) | lo) & 0x7fffffffffffffffn;
  }

  /**
   * `uniform_real_distribution<double>(0, 1)`, the draw of `bernoulli_(p)`: the low 53 bits of random64() times
   * 2^-53, i.e. the first word's low 21 bits above the whole second word (exact in a double).
   */
  uniformDouble(): number {
    const hi = this.mt.nextUint32() & 0x1fffff;
    const lo = this.mt.nextUint32();
    return (hi * 4294967296 + lo) * 1.1102230246251565e-16; // 2^-53
  }
}
