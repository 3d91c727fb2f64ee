// Downloads of the satisfaction view: a Blob through an <a download>, and the path diagram as
// a standalone SVG or a PNG (the SVG drawn onto a canvas from a blob URL: no network, allowed
// by the CSP's img-src blob:). The diagram carries its colours as attributes, so the markup
// looks like the screen without inlining styles.

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function size(svg: SVGSVGElement): { width: number; height: number } {
  const vb = svg.viewBox.baseVal;
  return { width: vb.width || 800, height: vb.height || 400 };
}

export function svgBlob(svg: SVGSVGElement, title: string): Blob {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = size(svg);
  const ns = 'http://www.w3.org/2000/svg';
  clone.setAttribute('xmlns', ns);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.removeAttribute('style');
  clone.setAttribute('font-family', 'system-ui, sans-serif');
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  clone.insertBefore(background, clone.firstChild);
  const t = document.createElementNS(ns, 'title');
  t.textContent = title;
  clone.insertBefore(t, clone.firstChild);
  const markup = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
  return new Blob([markup], { type: 'image/svg+xml;charset=utf-8' });
}

export async function pngBlob(svg: SVGSVGElement, title: string, scale = 2): Promise<Blob> {
  const { width, height } = size(svg);
  const url = URL.createObjectURL(svgBlob(svg, title));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The diagram could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas in this browser');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
