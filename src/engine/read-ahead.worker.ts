// The read-ahead helper (see read-ahead.ts): reads one file in chunks on its own thread and
// transfers each to the engine worker, never more than its credit ahead.
interface Start {
  type: 'start';
  blob: Blob;
  from: number;
  chunkBytes: number;
  ahead: number;
}
interface Credit {
  type: 'credit';
  n: number;
}

let credit = 0;
let wake: (() => void) | null = null;

self.onmessage = async (e: MessageEvent<Start | Credit>) => {
  const m = e.data;
  if (m.type === 'credit') {
    credit += m.n;
    wake?.();
    return;
  }
  credit = m.ahead;
  for (let at = m.from; at < m.blob.size; at += m.chunkBytes) {
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    credit--;
    const data = await m.blob.slice(at, Math.min(at + m.chunkBytes, m.blob.size)).arrayBuffer();
    (self as unknown as Worker).postMessage({ offset: at, data }, [data]);
  }
};
