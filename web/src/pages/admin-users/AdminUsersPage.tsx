import { useState, type FormEvent } from 'react';
import type { AdminApi, Role, User, UserChanges } from '../../api/client';
import { StaffProblemView } from '../../components/StaffProblemView';
import { LoadingView } from '../../components/StatusViews';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { kRoleNames } from '../../lib/roles';
import { formatDateTime } from '../../lib/timeZones';
import { toProblem, useResource } from '../../lib/useResource';

const kPageSize = 20;
const kRoles: Role[] = ['learner', 'instructor', 'admin'];

export interface AdminUsersPageProps {
  client: AdminApi;
  /** The signed-in user. */
  user: User;
}

export function AdminUsersPage({ client, user }: AdminUsersPageProps) {
  useDocumentTitle('Users');
  if (user.role !== 'admin') {
    return (
      <div className="problem">
        <h1>Users</h1>
        <p>Only administrators can manage users.</p>
      </div>
    );
  }
  return <UserAdmin client={client} me={user} />;
}

function UserAdmin({ client, me }: { client: AdminApi; me: User }) {
  const [search, setSearch] = useState('');
  // Cursors of the pages shown so far: the last one is the current page's.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useResource(`admin-users\n${search}\n${cursor ?? ''}`, (signal) =>
    client.listUsers({ q: search || undefined, limit: kPageSize, cursor }, signal),
  );

  function submitSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSearch(String(new FormData(event.currentTarget).get('q') ?? '').trim());
    setCursors([undefined]);
  }

  return (
    <>
      <h1>Users</h1>
      <form className="search-form" role="search" onSubmit={submitSearch}>
        <label htmlFor="user-search">Search by name or email</label>
        <input id="user-search" name="q" type="search" defaultValue={search} />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {page.state === 'loading' && <LoadingView label="Loading users…" />}
      {page.state === 'error' && (
        <StaffProblemView
          problem={page.problem}
          onRetry={page.reload}
          mfaReason="Administrators must set it up before they can manage users."
        />
      )}
      {page.state === 'ready' && (
        <>
          <UserTable key={cursor ?? ''} client={client} me={me} users={page.data.items} />
          <nav className="pagination" aria-label="Pages of users">
            <button
              type="button"
              className="button"
              disabled={cursors.length === 1}
              onClick={() => setCursors((shown) => shown.slice(0, -1))}
            >
              Previous page
            </button>
            <span>Page {cursors.length}</span>
            <button
              type="button"
              className="button"
              disabled={page.data.next_cursor === null}
              onClick={() => {
                const next = page.data.next_cursor;
                if (next !== null) setCursors((shown) => [...shown, next]);
              }}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </>
  );
}

interface UserTableProps {
  client: AdminApi;
  me: User;
  users: User[];
}

function UserTable({ client, me, users }: UserTableProps) {
  // The latest known state of each user edited on this page.
  const [edited, setEdited] = useState<Record<string, User>>({});
  const [pending, setPending] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function change(user: User, changes: UserChanges, done: string) {
    setPending(user.id);
    setMessage(null);
    try {
      const updated = await client.updateUser(user.id, changes);
      setEdited((all) => ({ ...all, [user.id]: { ...user, ...updated } }));
      setMessage({ text: done, error: false });
    } catch (error) {
      const problem = toProblem(error);
      setMessage({
        text: `${user.display_name} was not changed: ${problem.detail ?? problem.title}`,
        error: true,
      });
    } finally {
      setPending(null);
    }
  }

  if (users.length === 0) return <p className="empty">No users match.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="users-table">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Two-factor</th>
              <th scope="col">Last log-in</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {users.map((listed) => {
              const user = edited[listed.id] ?? listed;
              const self = user.id === me.id;
              const busy = pending === user.id;
              return (
                <tr key={user.id} className={user.disabled ? 'user-disabled' : undefined}>
                  <th scope="row">
                    {user.display_name}
                    {self && <span className="field-help"> (you)</span>}
                  </th>
                  <td>{user.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${user.display_name}`}
                      value={user.role}
                      disabled={self || busy}
                      onChange={(event) => {
                        const role = event.target.value as Role;
                        void change(
                          user,
                          { role },
                          `${user.display_name} is now: ${kRoleNames[role]}.`,
                        );
                      }}
                    >
                      {kRoles.map((role) => (
                        <option key={role} value={role}>
                          {kRoleNames[role]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{user.mfa_enabled ? 'On' : 'Off'}</td>
                  <td className="nowrap">
                    {formatDateTime(user.last_login_at, me.time_zone) ?? 'Never'}
                  </td>
                  <td>
                    {self ? (
                      'Active'
                    ) : (
                      <button
                        type="button"
                        className={user.disabled ? 'button' : 'button button-danger'}
                        disabled={busy}
                        onClick={() =>
                          void change(
                            user,
                            { disabled: !user.disabled },
                            `${user.display_name} is ${user.disabled ? 'enabled' : 'disabled'}.`,
                          )
                        }
                      >
                        {user.disabled ? 'Enable' : 'Disable'}
                        <span className="visually-hidden"> {user.display_name}</span>
                      </button>
                    )}
                    {user.disabled && <span className="badge">Disabled</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p role="status" className={message?.error ? 'form-status inline-problem' : 'form-status'}>
        {message?.text}
      </p>
    </>
  );
}
