import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type AccountApi } from '../../api/client';
import { kAdmin, kLearner } from '../../test/accounts';
import { TwoFactorSection, groupedSecret } from './TwoFactorSection';

const kCodes = Array.from({ length: 10 }, (_, i) => `k3x9-m2p7-q8r${i}`);

function client(overrides: Partial<AccountApi> = {}): AccountApi {
  return {
    getMe: vi.fn(),
    updateMe: vi.fn(),
    changePassword: vi.fn(),
    startTotp: vi.fn(async () => ({
      secret: 'JBSWY3DPEHPK3PXP',
      otpauth_uri: 'otpauth://totp/Practica:ada?secret=JBSWY3DPEHPK3PXP&issuer=Practica',
    })),
    confirmTotp: vi.fn(async () => kCodes),
    disableTotp: vi.fn(async () => {}),
    exportMyData: vi.fn(),
    deleteMe: vi.fn(),
    ...overrides,
  };
}

const defined: [object, string][] = [];

function define(target: object, name: string, value: unknown) {
  Object.defineProperty(target, name, { value, configurable: true });
  defined.push([target, name]);
}

describe('TwoFactorSection', () => {
  afterEach(() => {
    for (const [target, name] of defined.splice(0)) Reflect.deleteProperty(target, name);
  });

  it('sets up TOTP: QR code and key, confirmation, then the recovery codes once', async () => {
    const api = client({
      confirmTotp: vi
        .fn<AccountApi['confirmTotp']>()
        .mockRejectedValueOnce(
          new ApiError({ type: 'about:blank', title: 'Invalid code', status: 400 }),
        )
        .mockResolvedValueOnce(kCodes),
    });
    render(<TwoFactorSection client={api} user={kLearner} />);

    fireEvent.click(screen.getByRole('button', { name: 'Set up two-factor authentication' }));

    expect(await screen.findByRole('img', { name: /QR code/ })).toBeTruthy();
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    const code = screen.getByLabelText('The 6-digit code the app shows');
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));
    expect(await screen.findByText(/That code is not right/)).toBeTruthy();
    expect(code.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(code, { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(kCodes);
    expect(api.confirmTotp).toHaveBeenLastCalledWith('654321');
    expect(screen.getByRole('button', { name: 'Copy codes' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download codes' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'I have saved them' }));
    expect(screen.queryByRole('list', { name: 'Recovery codes' })).toBeNull();
  });

  it('copies and downloads the recovery codes', async () => {
    const writeText = vi.fn(async () => {});
    // jsdom has neither the clipboard nor object URLs.
    define(navigator, 'clipboard', { writeText });
    define(URL, 'createObjectURL', () => 'blob:codes');
    define(URL, 'revokeObjectURL', () => {});
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(<TwoFactorSection client={client()} user={kLearner} />);
    fireEvent.click(screen.getByRole('button', { name: 'Set up two-factor authentication' }));
    fireEvent.change(await screen.findByLabelText('The 6-digit code the app shows'), {
      target: { value: '123456' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));

    fireEvent.click(await screen.findByRole('button', { name: 'Copy codes' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(kCodes.join('\n')));
    expect(await screen.findByText('The codes are copied.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Download codes' }));
    expect(click).toHaveBeenCalledOnce();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe(
      'practica-recovery-codes.txt',
    );
  });

  it('lets a learner turn it off with the password, but not an admin', async () => {
    const api = client();
    const { unmount } = render(
      <TwoFactorSection client={api} user={{ ...kLearner, mfa_enabled: true }} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Turn off two-factor authentication' }));
    fireEvent.change(screen.getByLabelText('Your password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn off two-factor authentication' }));
    expect(await screen.findByText('Two-factor authentication is off.')).toBeTruthy();
    expect(api.disableTotp).toHaveBeenCalledWith('pw');
    unmount();

    render(<TwoFactorSection client={api} user={kAdmin} />);
    expect(screen.queryByRole('button', { name: /Turn off/ })).toBeNull();
    expect(screen.getByText(/must keep two-factor authentication on/)).toBeTruthy();
  });

  it('groups the key in fours', () => {
    expect(groupedSecret('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
  });
});
