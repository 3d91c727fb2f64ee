// What one browser tab can hold. DuckDB-WASM's heap is capped at 4 GiB by WebAssembly
// (32-bit addresses) and never shrinks; staged rows take roughly 1.5-2x the CSV's size.
export const MAX_FILE_BYTES = 1.5 * 1024 ** 3;

export function fileTooLarge(size: number, alreadyLoaded = 0): boolean {
  return size + alreadyLoaded > MAX_FILE_BYTES;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
