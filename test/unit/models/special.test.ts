import { describe, it, expect } from 'vitest';
import {
  betaln,
  digamma,
  expit,
  gammaSign,
  hyp2f1,
  hyp2f1Detailed,
  lgamma,
  logAddExp,
  logSumExp,
} from '../../../src/core/models/special';

const EULER_GAMMA = 0.5772156649015329;

/** ln((n-1)!) summed term by term: an independent hand calculation of ln Γ(n). */
function lnFactorialMinusOne(n: number): number {
  let s = 0;
  for (let k = 2; k < n; k++) s += Math.log(k);
  return s;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('lgamma', () => {
  it('matches ln((n-1)!) for integers, including large ones', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 100, 171, 1000]) {
      expect(Math.abs(lgamma(n) - lnFactorialMinusOne(n))).toBeLessThan(1e-12 * Math.max(1, lnFactorialMinusOne(n)));
    }
  });
  it('matches closed forms at half-integers and via reflection', () => {
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14); // Γ(1/2) = √π
    expect(lgamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13); // Γ(−1/2) = −2√π
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
    expect(Number.isNaN(lgamma(NaN))).toBe(true);
  });
  it('satisfies the recurrence ln Γ(x+1) = ln Γ(x) + ln x at small and odd arguments', () => {
    for (const x of [1e-8, 0.001, 0.243, 0.7929, 2.426, 7.3, 55.5]) {
      expect(Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x))).toBeLessThan(1e-12 * Math.max(1, Math.abs(lgamma(x))));
    }
  });
});

describe('digamma', () => {
  it('matches known values', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 14);
    // ψ(n) = −γ + Σ_{k<n} 1/k
    let h = 0;
    for (let k = 1; k < 50; k++) h += 1 / k;
    expect(digamma(50)).toBeCloseTo(-EULER_GAMMA + h, 13);
  });
  it('is the derivative of lgamma and satisfies the reflection formula', () => {
    for (const x of [0.05, 0.243, 1.7, 12.5, 300]) {
      const hStep = 1e-5 * x;
      const numeric = (lgamma(x + hStep) - lgamma(x - hStep)) / (2 * hStep);
      expect(rel(digamma(x), numeric)).toBeLessThan(1e-7);
    }
    const x = -0.3;
    expect(digamma(1 - x) - digamma(x)).toBeCloseTo(Math.PI / Math.tan(Math.PI * x), 12);
  });
});

describe('betaln, log-sum-exp, expit', () => {
  it('betaln matches B(a, b) = Γ(a)Γ(b)/Γ(a+b) by hand', () => {
    expect(betaln(2, 3)).toBeCloseTo(Math.log(1 / 12), 14); // B(2,3) = 1!2!/4! = 1/12
    expect(betaln(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 14);
  });
  it('log-sum-exp does not overflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000 + Math.log(3)])).toBeCloseTo(-1000 + Math.log(4), 12);
    expect(logSumExp([])).toBe(-Infinity);
    expect(logAddExp(800, 800)).toBeCloseTo(800 + Math.LN2, 12);
    expect(logAddExp(-Infinity, 2)).toBe(2);
  });
  it('expit is stable at both ends', () => {
    expect(expit(0)).toBe(0.5);
    expect(expit(800)).toBe(1);
    expect(expit(-800)).toBeGreaterThanOrEqual(0);
    expect(expit(-30)).toBeCloseTo(Math.exp(-30), 25);
  });
});

describe('hyp2f1', () => {
  // Closed forms (Abramowitz & Stegun 15.1.3, 15.1.8, 15.1.6) are the independent reference.
  const log1mOverZ = (z: number) => -Math.log(1 - z) / z; // ₂F₁(1,1;2;z)
  it('matches −ln(1−z)/z for ₂F₁(1, 1; 2; z) across the range, including near z = 1', () => {
    for (const z of [-0.95, -0.5, 0.01, 0.3, 0.7, 0.9, 0.95, 0.99, 0.999]) {
      expect(rel(hyp2f1(1, 1, 2, z), log1mOverZ(z))).toBeLessThan(1e-12);
    }
  });
  it('matches (1−z)^(−a) for ₂F₁(a, b; b; z), also for z < −1 (Pfaff transformation)', () => {
    for (const [a, b, z] of [
      [0.243, 2.426, 0.5],
      [3.5, 1.2, 0.97],
      [-0.2, 2.8, 0.93],
      [0.7, 1.1, -4],
    ]) {
      expect(rel(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-12);
    }
  });
  it('matches arcsin(x)/x for ₂F₁(1/2, 1/2; 3/2; x²)', () => {
    for (const x of [0.2, 0.8, 0.97]) {
      expect(rel(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x)).toBeLessThan(1e-12);
    }
  });
  it('takes each transformation where it should, matching closed forms', () => {
    // 0.9 < z < 1, c − a − b = 1/2: the 1 − z connection formula with both of its series.
    const x = Math.sqrt(0.98);
    const near1 = hyp2f1Detailed(0.5, 0.5, 1.5, 0.98);
    expect(near1.method).toBe('one-minus-z');
    expect(rel(near1.value, Math.asin(x) / x)).toBeLessThan(1e-12);
    // The same formula when one gamma factor is 1/Γ(0) = 0: ₂F₁(a, b; b; z) = (1 − z)^(−a).
    const pole = hyp2f1Detailed(0.3, 1.7, 1.7, 0.95);
    expect(pole.method).toBe('one-minus-z');
    expect(rel(pole.value, Math.pow(0.05, -0.3))).toBeLessThan(1e-12);
    // z < −0.9: Pfaff, its inner series at z/(z − 1) = 20/21; ₂F₁(1/2, 1/2; 3/2; −x²) = asinh(x)/x (A&S 15.1.7).
    const far = hyp2f1Detailed(0.5, 0.5, 1.5, -20);
    expect(far.method).toBe('pfaff');
    expect(far.converged).toBe(true);
    expect(rel(far.value, Math.asinh(Math.sqrt(20)) / Math.sqrt(20))).toBeLessThan(1e-12);
  });
  it('terminates for a non-positive integer parameter (a polynomial)', () => {
    // ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    const [b, c, z] = [1.5, 2.5, 0.95];
    const r = hyp2f1Detailed(-2, b, c, z);
    expect(r.converged).toBe(true);
    expect(r.value).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14);
  });
  it('reports failure instead of returning a wrong number', () => {
    expect(Number.isNaN(hyp2f1(1, 1, 2, 1))).toBe(true); // diverges at z = 1
    expect(Number.isNaN(hyp2f1(1, 1, -2, 0.5))).toBe(true); // c a pole
    expect(Number.isNaN(hyp2f1(NaN, 1, 2, 0.5))).toBe(true);
    expect(hyp2f1Detailed(1, 1, 2, 0.3).converged).toBe(true);
  });
});
