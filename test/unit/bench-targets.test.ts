// The benchmark's verdicts (test/bench/targets.ts) on a hand-made table.
import { describe, expect, it } from 'vitest';
import { type BenchRow, machinePhase, targetVerdicts } from '../bench/targets';

const row = (rows: number, step: string, browser_ms: number | null, extra: Partial<BenchRow> = {}): BenchRow => ({ rows, format: 'csv', step, browser_ms, ...extra });

describe('benchmark target verdicts', () => {
  const results: BenchRow[] = [
    row(1_000_000, 'stage', 3000, { native_ms: 1500, ratio: 2, native_1t_ms: 2040, ratio_1t: 1.47 }),
    row(1_000_000, 'drop_to_ready', 3360),
    row(1_000_000, 'quality', 150, { native_ms: 100, ratio: 1.5, native_1t_ms: 120, ratio_1t: 1.25 }),
    row(1_000_000, 'cohorts (SQL)', 1590, { native_ms: 1000, ratio: 1.59, native_1t_ms: 1500, ratio_1t: 1.2 }),
    row(1_000_000, 're-segmentation: every view', 54),
    row(1_000_000, 're-segmentation: slowest change', 126),
    row(5_000_000, 'drop_to_ready', 12_000),
    // 1,430 MiB = 1.4995 GB: inside 1.5 GB; 1,431 MiB = 1.5005 GB: over it.
    row(5_000_000, 'peak_renderer_MB', 1431),
    row(5_000_000, 'peak_renderer_private_MB', 1430),
    { rows: 1_000_000, format: 'parquet', step: 'drop_to_ready', browser_ms: 99_000 },
  ];
  const verdicts = targetVerdicts(results);
  const by = (name: string) => verdicts.find((v) => v.target.startsWith(name))!;

  it('judges each target at its limit, inclusive, and says by how much it is missed', () => {
    expect(by('1M-row CSV drop to ready')).toEqual({ target: '1M-row CSV drop to ready', measured: '3.36 s', limit: '3.00 s', met: false, over: '+12 %' });
    expect(by('5M-row CSV drop to ready')).toMatchObject({ measured: '12.00 s', met: true, over: '' });
    expect(by('1M quality report')).toMatchObject({ measured: '1.50× (1 thread: 1.25×)', limit: '1.50×', met: true });
    expect(by('1M cohorts (SQL)')).toMatchObject({ measured: '1.59× (1 thread: 1.20×)', met: false, over: '+6.0 %' });
    expect(by('re-segmentation')).toMatchObject({ measured: '54 ms (slowest change 126 ms)', limit: '100 ms', met: true });
    expect(by('5M-row CSV renderer memory, resident')).toMatchObject({ measured: '1.50 GB (1.40 GiB)', met: false, over: '+<0.1 %' });
    expect(by('5M-row CSV renderer memory, private')).toMatchObject({ met: true });
  });

  it('leaves out what was not measured and the load steps (not analysis queries)', () => {
    expect(verdicts.map((v) => v.target)).toEqual([
      '1M-row CSV drop to ready',
      '5M-row CSV drop to ready',
      '1M quality report (counts): browser / native 2 threads',
      '1M cohorts (SQL): browser / native 2 threads',
      're-segmentation at ~100k customers (median, every view settled)',
      '5M-row CSV renderer memory, resident (RSS), every view',
      '5M-row CSV renderer memory, private footprint, every view',
    ]);
    expect(targetVerdicts([])).toEqual([]);
  });

  it("states the machine's speed from native DuckDB's own one-thread staging", () => {
    expect(machinePhase(results)).toBe('native DuckDB, 1 thread, staging the CSV: 1M rows 2.04 s (calm runs: 1.36 s; 1.50× that)');
    expect(machinePhase([row(5_000_000, 'stage', 20_000, { native_1t_ms: 13_600 }), ...results])).toBe(
      'native DuckDB, 1 thread, staging the CSV: 1M rows 2.04 s (calm runs: 1.36 s; 1.50× that); 5M rows 13.60 s (calm runs: 6.80 s; 2.00× that)',
    );
    expect(machinePhase([])).toBeNull();
  });
});
