/** A QR code as SVG path data: one unit square per dark module, in a size × size grid. */
export interface QrSymbol {
  size: number;
  path: string;
}

/**
 * Encodes `text` as a QR code (medium error correction), loading the encoder on first use.
 * Everything happens in the browser: the secret inside an otpauth URI never leaves the page.
 */
export async function qrSymbol(text: string): Promise<QrSymbol> {
  const qrcode = await import('qrcode');
  const { modules } = qrcode.create(text, { errorCorrectionLevel: 'M' });
  const { size } = modules;
  let path = '';
  for (let y = 0; y < size; y++) {
    // One rectangle per run of dark modules keeps the path short.
    for (let x = 0; x < size;) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size, path };
}
