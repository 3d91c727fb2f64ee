import { describe, it, expect } from 'vitest';
import {
  invertSpd,
  minimize,
  MinimizeCancelled,
  minimizeBfgs,
  minimizeNelderMead,
  numericGradient,
  numericHessian,
} from '../../../src/core/models/optimize';

// Rosenbrock's function: minimum 0 at (1, 1), a curved valley that defeats naive methods.
const rosen = (x: readonly number[]) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
const rosenGrad = (x: readonly number[]) => [
  -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]),
  200 * (x[1] - x[0] ** 2),
];

describe('minimizeBfgs', () => {
  it('finds the Rosenbrock minimum with numeric gradients', () => {
    const r = minimizeBfgs(rosen, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.fx).toBeLessThan(1e-12);
  });
  it('finds it with an analytic gradient in fewer evaluations', () => {
    const numeric = minimizeBfgs(rosen, [-1.2, 1]);
    const analytic = minimizeBfgs(rosen, [-1.2, 1], { grad: rosenGrad });
    expect(analytic.converged).toBe(true);
    expect(analytic.x[0]).toBeCloseTo(1, 7);
    expect(analytic.evaluations).toBeLessThan(numeric.evaluations);
  });
  it('minimises a 6-dimensional ill-conditioned quadratic exactly', () => {
    const scales = [1, 10, 100, 1e3, 1e4, 1e5];
    const f = (x: readonly number[]) => x.reduce((s, v, i) => s + scales[i] * (v - i) ** 2, 0);
    const r = minimizeBfgs(f, [5, 5, 5, 5, 5, 5], {
      grad: (x) => x.map((v, i) => 2 * scales[i] * (v - i)),
      gradTol: 1e-10,
    });
    expect(r.converged).toBe(true);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(i, 8));
  });
  it('reports a non-finite start instead of pretending to converge', () => {
    const r = minimizeBfgs(() => NaN, [0, 0]);
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite/);
  });
  it('can be cancelled', () => {
    expect(() => minimizeBfgs(rosen, [-1.2, 1], { shouldStop: (i) => i >= 3 })).toThrow(MinimizeCancelled);
  });
});

describe('minimizeNelderMead and minimize', () => {
  it('Nelder–Mead finds the Rosenbrock minimum without derivatives', () => {
    const r = minimizeNelderMead(rosen, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });
  it('minimize copes with a NaN region next to the minimum', () => {
    // (x−2)² + |y|^1.5 with f undefined for x > 3: steps into the hole must be retried.
    const f = (x: readonly number[]) => (x[0] > 3 ? NaN : (x[0] - 2) ** 2 + Math.abs(x[1]) ** 1.5);
    const r = minimize(f, [0, 1]);
    expect(r.x[0]).toBeCloseTo(2, 5);
    expect(Math.abs(r.x[1])).toBeLessThan(1e-3);
  });
});

describe('numeric derivatives and SPD inverse', () => {
  // f = x² y + 3 y²  ⇒  ∇f = (2xy, x² + 6y), H = [[2y, 2x], [2x, 6]] (by hand)
  const f = (v: readonly number[]) => v[0] ** 2 * v[1] + 3 * v[1] ** 2;
  const g = (v: readonly number[]) => [2 * v[0] * v[1], v[0] ** 2 + 6 * v[1]];
  it('gradient and Hessian match the hand derivatives', () => {
    const at = [1.5, 2];
    const ng = numericGradient(f, at);
    expect(ng[0]).toBeCloseTo(6, 8);
    expect(ng[1]).toBeCloseTo(14.25, 8);
    for (const H of [numericHessian(f, at), numericHessian(f, at, { grad: g })]) {
      expect(H[0][0]).toBeCloseTo(4, 5);
      expect(H[0][1]).toBeCloseTo(3, 5);
      expect(H[1][0]).toBeCloseTo(3, 5);
      expect(H[1][1]).toBeCloseTo(6, 5);
    }
  });
  it('inverts an SPD matrix and rejects an indefinite one', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8
    const inv = invertSpd([
      [4, 2],
      [2, 3],
    ])!;
    expect(inv[0][0]).toBeCloseTo(3 / 8, 14);
    expect(inv[0][1]).toBeCloseTo(-2 / 8, 14);
    expect(inv[1][1]).toBeCloseTo(4 / 8, 14);
    expect(
      invertSpd([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
  });
});
