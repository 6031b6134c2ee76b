import { useEffect, useState } from 'react';
import { qrSymbol, type QrSymbol } from './qrPath';

/** The quiet zone around a QR code that scanners need, in modules. */
const kQuietZone = 4;

export interface QrCodeProps {
  value: string;
  /** The image's accessible name. */
  label: string;
}

/** `value` as a QR code: an SVG drawn in the page, dark on white whatever the theme. */
export function QrCode({ value, label }: QrCodeProps) {
  const [symbol, setSymbol] = useState<{ value: string; symbol: QrSymbol } | 'failed' | null>(null);

  useEffect(() => {
    let current = true;
    qrSymbol(value).then(
      (made) => current && setSymbol({ value, symbol: made }),
      () => current && setSymbol('failed'),
    );
    return () => {
      current = false;
    };
  }, [value]);

  if (symbol === 'failed') {
    return <p className="qr-code-missing">The QR code could not be drawn: type the key instead.</p>;
  }
  if (symbol === null || symbol.value !== value) {
    return <div className="qr-code qr-code-loading" aria-hidden="true" />;
  }
  const extent = symbol.symbol.size + 2 * kQuietZone;
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#ffffff" />
      <path
        d={symbol.symbol.path}
        fill="#000000"
        transform={`translate(${kQuietZone} ${kQuietZone})`}
      />
    </svg>
  );
}
