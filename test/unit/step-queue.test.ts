// The engine worker's step queue (src/engine/step-queue.ts): one step at a time, in the order
// asked, and a cancel applies to the running step and to those waiting, not to later ones.
import { describe, expect, it } from 'vitest';
import { StepQueue } from '../../src/engine/step-queue';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('StepQueue', () => {
  it('runs steps one at a time, in the order asked, past a failed one', async () => {
    const q = new StepQueue();
    const log: string[] = [];
    const gate = deferred();
    const a = q.run(async () => {
      log.push('a start');
      await gate.promise;
      log.push('a end');
    });
    const b = q.run(async () => {
      log.push('b');
      throw new Error('b failed');
    });
    const c = q.run(async () => log.push('c'));
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    gate.resolve();
    await a;
    await expect(b).rejects.toThrow('b failed');
    await c;
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('cancels the running step and the waiting ones, not the steps asked for afterwards', async () => {
    const q = new StepQueue();
    const gate = deferred();
    const seen: Record<string, boolean[]> = { a: [], b: [], c: [] };
    const a = q.run(async () => {
      seen.a.push(q.cancelled);
      await gate.promise;
      seen.a.push(q.cancelled);
    });
    const b = q.run(async () => void seen.b.push(q.cancelled));
    await Promise.resolve();
    q.cancel();
    const c = q.run(async () => void seen.c.push(q.cancelled));
    expect(q.cancelled).toBe(true);
    gate.resolve();
    await Promise.all([a, b, c]);
    expect(seen).toEqual({ a: [false, true], b: [true], c: [false] });
    expect(q.cancelled).toBe(false);
  });

  it('a cancel while nothing runs applies to nothing later', async () => {
    const q = new StepQueue();
    await q.run(async () => undefined);
    q.cancel();
    expect(await q.run(async () => q.cancelled)).toBe(false);
  });
});
