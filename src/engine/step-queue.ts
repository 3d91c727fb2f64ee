// The engine worker's steps, one at a time in the order the page asked for them (one DuckDB
// connection), and what a cancel applies to: every step asked for before it, whether it is
// running or still waiting its turn. A load queued behind a running analysis and cancelled
// before it starts must not then run (a cancel that only marked the running step was lost when
// the next one started).

export class StepQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Steps asked for so far, and how many of them the last cancel applies to. */
  private asked = 0;
  private cancelledThrough = 0;
  /** The running step's number (0: none). */
  private running = 0;

  /** Runs `work` once every step asked for before it is done. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const id = ++this.asked;
    const step = this.tail.then(async () => {
      this.running = id;
      try {
        return await work();
      } finally {
        this.running = 0;
      }
    });
    this.tail = step.catch(() => undefined);
    return step;
  }

  /** Cancel the running step and every step waiting. */
  cancel(): void {
    this.cancelledThrough = this.asked;
  }

  /** Whether the running step was asked for before a cancel. */
  get cancelled(): boolean {
    return this.running !== 0 && this.running <= this.cancelledThrough;
  }
}
