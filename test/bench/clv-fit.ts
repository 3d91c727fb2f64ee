// Benchmark: BG/NBD + Gamma-Gamma fit time on 100k simulated customers (Node).
// Run: node test/bench/clv-fit.mjs   (loads this TypeScript through Vite's module runner)
// Not a timed test: it prints timings for the record.
import { compressBgNbdData, fitBgNbd } from '../../src/core/models/bgnbd';
import { fitGammaGamma } from '../../src/core/models/gammagamma';
import { clv } from '../../src/core/models/clv';
import { gammaVariate, rng, simulateBgNbd } from '../unit/models/helpers';

// Published CDNOW estimates (Fader, Hardie & Lee 2005) as the simulation truth.
const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const N = 100_000;

/** Runs f `repeats` times; prints min and median wall time (the machine may be shared). */
function time<T>(label: string, f: () => T, repeats = 3): T {
  const ms: number[] = [];
  let out!: T;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    out = f();
    ms.push(performance.now() - t0);
  }
  ms.sort((p, q) => p - q);
  const med = ms[Math.floor(ms.length / 2)];
  console.log(`${label}: min ${ms[0].toFixed(0)} ms, median ${med.toFixed(0)} ms over ${repeats} runs`);
  return out;
}

export function main(): void {
  // Warm-up on a small sample so the timings below are of JIT-compiled code, as in a worker
  // that has fitted before; the first cold fit is reported too.
  const small = simulateBgNbd({ n: 2_000, params: truth, minT: 27, maxT: 39, seed: 7 });
  time('first (cold) fit, 2k customers', () => fitBgNbd(small), 1);

  for (const [label, grid] of [
    ['continuous times (no duplicates to merge)', undefined],
    ['times on a daily grid (as summaries built from dates)', 1 / 7],
  ] as const) {
    const data = simulateBgNbd({ n: N, params: truth, minT: 27, maxT: 39, grid, seed: 42 });
    time(`  validation + merging of identical rows only`, () => compressBgNbdData(data));
    const fit = time(`BG/NBD fit, ${N} customers, ${label}`, () => fitBgNbd(data));
    const f = (v: number) => v.toFixed(4);
    console.log(
      `  r=${f(fit.r)} alpha=${f(fit.alpha)} a=${f(fit.a)} b=${f(fit.b)} (truth ${truth.r}, ${truth.alpha}, ${truth.a}, ${truth.b});` +
        ` patterns=${fit.patterns} iterations=${fit.iterations} converged=${fit.converged}`,
    );
  }

  // Spend: x from the simulation, mean spend from the Gamma-Gamma process with the note-025 values.
  const data = simulateBgNbd({ n: N, params: truth, minT: 27, maxT: 39, grid: 1 / 7, seed: 43 });
  const u = rng(99);
  const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
  const spend = data.map((c) => {
    if (c.x === 0) return { x: 0, mx: 0 };
    const nu = gammaVariate(u, gg.q) / gg.gamma;
    let sum = 0;
    for (let k = 0; k < c.x; k++) sum += gammaVariate(u, gg.p) / nu;
    return { x: c.x, mx: Math.round((sum / c.x) * 100) / 100 };
  });
  const ggFit = time(`Gamma-Gamma fit, ${N} customers`, () => fitGammaGamma(spend));
  console.log(`  p=${ggFit.p.toFixed(3)} q=${ggFit.q.toFixed(3)} gamma=${ggFit.gamma.toFixed(3)} used=${ggFit.customers} converged=${ggFit.converged}`);
  const bg = fitBgNbd(data);
  time(`CLV (12 months, weekly data, 10% a year) for ${N} customers`, () => {
    let total = 0;
    for (let i = 0; i < data.length; i++) total += clv(bg, ggFit, data[i].x, data[i].tx, data[i].T, spend[i].mx, 12, 'week', 0.1);
    return total;
  });
}

main();
