// Save a Blob made in the worker as a download: an object URL and a temporary <a download>.
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the browser may still be reading the URL when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
