// Seeded random numbers for the data generators (generate-sample.mjs, generate-big.mjs): a
// mulberry32 uniform stream and the distributions drawn from it. Nothing reads the clock, so a
// seed gives the same numbers on every machine.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Distributions on top of one uniform stream. */
export function makeRandom(seed) {
  const u = mulberry32(seed);
  const random = {
    u,
    int: (lo, hi) => lo + Math.floor(u() * (hi - lo + 1)),
    normal() {
      // Box–Muller; the second variate is dropped to keep the stream simple.
      const u1 = 1 - u();
      const u2 = u();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    exponential: (rate) => -Math.log(1 - u()) / rate,
    gamma(shape) {
      // Marsaglia–Tsang; shape < 1 via the u^(1/shape) boost.
      if (shape < 1) return random.gamma(shape + 1) * Math.pow(1 - u(), 1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x;
        let v;
        do {
          x = random.normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const w = u();
        if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
      }
    },
    beta(a, b) {
      const x = random.gamma(a);
      return x / (x + random.gamma(b));
    },
    /** Index drawn with probability proportional to weights[i]. */
    weighted(weights) {
      let total = 0;
      for (const w of weights) total += w;
      let r = u() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    /** k distinct items of list, in draw order (partial Fisher–Yates on a copy). */
    sample(list, k) {
      const a = list.slice();
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(u() * (a.length - i));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a.slice(0, k);
    },
  };
  return random;
}
