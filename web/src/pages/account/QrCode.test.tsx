import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { QrCode } from './QrCode';
import { qrSymbol } from './qrPath';

const kUri =
  'otpauth://totp/Practica:ada%40example.test?secret=JBSWY3DPEHPK3PXP&issuer=Practica&algorithm=SHA1&digits=6&period=30';

describe('QR code', () => {
  it('encodes an otpauth URI as a square symbol with the three finder patterns', async () => {
    const { size, path } = await qrSymbol(kUri);

    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0); // version v has 4v + 17 modules a side
    // Each finder pattern starts with a run of 7 dark modules on its top row.
    expect(path.startsWith('M0 0h7v1h-7z')).toBe(true);
    expect(path).toContain(`M${size - 7} 0h7v1h-7z`);
    expect(path).toContain(`M0 ${size - 7}h7v1h-7z`);
  });

  it('draws the URI as an SVG image with an accessible name', async () => {
    const { container } = render(<QrCode value={kUri} label="QR code for your app" />);

    const image = await screen.findByRole('img', { name: 'QR code for your app' });

    expect(image.tagName.toLowerCase()).toBe('svg');
    const { size } = await qrSymbol(kUri);
    expect(image.getAttribute('viewBox')).toBe(`0 0 ${size + 8} ${size + 8}`);
    expect(container.querySelector('svg path')?.getAttribute('d')).toMatch(/^M0 0h7v1h-7z/);
  });
});
