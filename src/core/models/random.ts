/**
 * A seeded pseudo-random generator that reproduces R's default RNG bit for bit:
 * `set.seed(seed)` (Mersenne-Twister, "Inversion", sample.kind = "Rejection", R ≥ 3.6)
 * followed by `runif()` / `sample.int(n, replace = TRUE)`.
 *
 * Why R's and not a smaller PRNG: seminr's bootstrap draws resample i with
 * `set.seed(seed + i); sample.int(n, replace = TRUE)`, so using the same generator lets
 * our bootstrap reproduce seminr's published bootstrap tables exactly for the same seed,
 * which is how the tests check it. The cost (re-seeding 625 words per resample) is
 * negligible next to a PLS fit.
 *
 * Port of R's src/main/RNG.c (MT19937 by Matsumoto & Nishimura, R's seeding scramble,
 * `fixup`, `rbits` and `R_unif_index`).
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TEMPERING_MASK_B = 0x9d2c5680;
const TEMPERING_MASK_C = 0xefc60000;
const I2_32M1 = 2.328306437080797e-10; // 1 / (2^32 − 1)

export class RMersenneTwister {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  /** Same as R's `set.seed(seed)` with the default kinds. `seed` is taken modulo 2^32. */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`Random seed must be an integer, got ${seed}.`);
    let s = seed >>> 0;
    const lcg = (x: number): number => (Math.imul(69069, x) + 1) >>> 0;
    for (let j = 0; j < 50; j++) s = lcg(s); // R's "initial scrambling"
    // R fills 625 words: the first is the (then overwritten) position counter, the rest the state.
    s = lcg(s);
    for (let j = 0; j < N; j++) {
      s = lcg(s);
      this.mt[j] = s;
    }
    this.mti = N;
  }

  private nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & TEMPERING_MASK_B;
    y ^= (y << 15) & TEMPERING_MASK_C;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** R's `unif_rand()`: uniform on the open interval (0, 1). */
  unifRand(): number {
    const x = this.nextUint32() * 2.3283064365386963e-10;
    if (x <= 0) return 0.5 * I2_32M1;
    if (1 - x <= 0) return 1 - 0.5 * I2_32M1;
    return x;
  }

  /** R's `R_unif_index(n)` with rejection sampling: a uniform integer in [0, n). */
  unifIndex(n: number): number {
    if (n <= 0) return 0;
    const bits = Math.ceil(Math.log2(n));
    for (;;) {
      const v = this.rbits(bits);
      if (v < n) return v;
    }
  }

  private rbits(bits: number): number {
    // Accumulates 16 random bits per draw; exact in doubles for the sizes used here (< 2^53).
    let v = 0;
    for (let k = 0; k <= bits; k += 16) {
      const v1 = Math.floor(this.unifRand() * 65536);
      v = 65536 * v + v1;
    }
    return v % 2 ** bits;
  }
}

/**
 * Zero-based row indices of a bootstrap resample of n rows, identical (after +1) to R's
 * `set.seed(seed); sample.int(n, replace = TRUE)`.
 */
export function resampleIndices(n: number, seed: number): Int32Array {
  const rng = new RMersenneTwister(seed);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = rng.unifIndex(n);
  return idx;
}
