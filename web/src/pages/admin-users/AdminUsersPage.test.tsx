import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, kProblemTypes, type AdminApi, type User } from '../../api/client';
import { kAdmin, kInstructor, kLearner } from '../../test/accounts';
import { AdminUsersPage } from './AdminUsersPage';

function client(overrides: Partial<AdminApi>): AdminApi {
  return {
    listUsers: vi.fn(async () => ({ items: [kAdmin, kLearner], next_cursor: null })),
    updateUser: vi.fn(),
    ...overrides,
  };
}

function row(name: string): HTMLElement {
  return screen.getByRole('rowheader', { name: new RegExp(name) }).closest('tr') as HTMLElement;
}

describe('AdminUsersPage', () => {
  it('searches and pages through users with the cursor', async () => {
    const listUsers = vi.fn<AdminApi['listUsers']>(async (options) =>
      options?.cursor === 'p2'
        ? { items: [kInstructor], next_cursor: null }
        : { items: [kAdmin, kLearner], next_cursor: 'p2' },
    );
    render(<AdminUsersPage client={client({ listUsers })} user={kAdmin} />);

    await screen.findByRole('cell', { name: kLearner.email });
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByRole('cell', { name: kInstructor.email });
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    await screen.findByRole('cell', { name: kLearner.email });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search by name or email' }), {
      target: { value: ' ada ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(listUsers).toHaveBeenCalledTimes(4));

    expect(listUsers.mock.calls.map((call) => call[0])).toEqual([
      { q: undefined, limit: 20, cursor: undefined },
      { q: undefined, limit: 20, cursor: 'p2' },
      { q: undefined, limit: 20, cursor: undefined },
      { q: 'ada', limit: 20, cursor: undefined },
    ]);
  });

  it("changes a user's role and disables an account, but never one's own", async () => {
    const updateUser = vi.fn<AdminApi['updateUser']>(async (id, changes): Promise<User> => ({
      ...kLearner,
      id,
      ...changes,
    }));
    render(<AdminUsersPage client={client({ updateUser })} user={kAdmin} />);
    await screen.findByRole('cell', { name: kLearner.email });

    expect(within(row(kAdmin.display_name)).getByRole('combobox')).toHaveProperty('disabled', true);
    expect(within(row(kAdmin.display_name)).queryByRole('button')).toBeNull();

    fireEvent.change(screen.getByRole('combobox', { name: `Role of ${kLearner.display_name}` }), {
      target: { value: 'instructor' },
    });
    expect(await screen.findByText(`${kLearner.display_name} is now: Instructor.`)).toBeTruthy();
    expect(
      (
        screen.getByRole('combobox', {
          name: `Role of ${kLearner.display_name}`,
        }) as HTMLSelectElement
      ).value,
    ).toBe('instructor');

    fireEvent.click(screen.getByRole('button', { name: `Disable ${kLearner.display_name}` }));
    expect(
      await screen.findByRole('button', { name: `Enable ${kLearner.display_name}` }),
    ).toBeTruthy();
    expect(updateUser.mock.calls).toEqual([
      [kLearner.id, { role: 'instructor' }],
      [kLearner.id, { disabled: true }],
    ]);
  });

  it('keeps the old role and says why when a change is refused', async () => {
    const updateUser = vi.fn<AdminApi['updateUser']>(async () => {
      throw new ApiError({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'The last admin cannot be demoted.',
      });
    });
    render(<AdminUsersPage client={client({ updateUser })} user={kAdmin} />);
    await screen.findByRole('cell', { name: kLearner.email });

    fireEvent.change(screen.getByRole('combobox', { name: `Role of ${kLearner.display_name}` }), {
      target: { value: 'admin' },
    });

    expect(
      await screen.findByText(
        `${kLearner.display_name} was not changed: The last admin cannot be demoted.`,
      ),
    ).toBeTruthy();
    expect(
      (
        screen.getByRole('combobox', {
          name: `Role of ${kLearner.display_name}`,
        }) as HTMLSelectElement
      ).value,
    ).toBe('learner');
  });

  it('sends an admin without a second factor to set one up', async () => {
    const listUsers = vi.fn<AdminApi['listUsers']>(async () => {
      throw new ApiError({
        type: kProblemTypes.mfaEnrollmentRequired,
        title: 'Two-factor authentication required',
        status: 403,
      });
    });
    render(
      <AdminUsersPage client={client({ listUsers })} user={{ ...kAdmin, mfa_enabled: false }} />,
    );

    const link = await screen.findByRole('link', { name: 'Set it up on your account page' });
    expect(link.getAttribute('href')).toBe('/account#two-factor');
  });

  it('is for admins only', () => {
    const listUsers = vi.fn<AdminApi['listUsers']>();
    render(<AdminUsersPage client={client({ listUsers })} user={kLearner} />);
    expect(screen.getByText('Only administrators can manage users.')).toBeTruthy();
    expect(listUsers).not.toHaveBeenCalled();
  });
});
