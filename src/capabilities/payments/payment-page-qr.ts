/**
 * A sticker's QR code as SVG (core). The QR library encodes the text into modules (the hard,
 * standardised part: ADR 25); this draws them, with the quiet zone scanners need (4 modules,
 * ISO/IEC 18004) and a caption under the code with the short address, for a phone that cannot
 * scan. One path of horizontal runs keeps the file small and its edges crisp at any print size.
 */

/** The modules of a QR code, as the library gives them (`get` is truthy for a dark module). */
export interface QrModules {
  size: number;
  get(row: number, col: number): number | boolean;
}

const QUIET = 4;
/** Caption band below the code, in modules. */
const CAPTION = 4;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] as string);
}

/** An SVG of the code, `pixelsPerModule` per module on screen; `caption` is printed under it when given. */
export function qrSvg(modules: QrModules, caption: string | null, pixelsPerModule = 8): string {
  const width = modules.size + 2 * QUIET;
  const height = width + (caption ? CAPTION : 0);
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      path += `M${start + QUIET} ${row + QUIET}h${col - start}v1h-${col - start}z`;
    }
  }
  // Monospace glyphs are about 0.6 em wide: the caption fits the code's width, at most 2.4 modules high.
  const fontSize = caption ? Math.min(2.4, (width - 2) / (0.6 * caption.length)) : 0;
  const text = caption
    ? `<text x="${width / 2}" y="${(width + 1 + fontSize * 0.8).toFixed(2)}" text-anchor="middle" font-family="monospace" font-size="${fontSize.toFixed(2)}" fill="#000">${escapeXml(caption)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width * pixelsPerModule}" height="${height * pixelsPerModule}" shape-rendering="crispEdges">` +
    (caption ? `<title>${escapeXml(caption)}</title>` : '') +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<path d="${path}" fill="#000"/>` +
    text +
    '</svg>'
  );
}
