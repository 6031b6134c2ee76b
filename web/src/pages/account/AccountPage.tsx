import { useEffect, type ReactNode } from 'react';
import type { AccountApi, User } from '../../api/client';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { kRoleNames } from '../../lib/roles';
import { formatDateTime } from '../../lib/timeZones';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';
import { TwoFactorSection } from './TwoFactorSection';
import { DeleteAccount, ExportData } from './YourDataSection';

export interface AccountPageProps {
  client: AccountApi;
  /** The signed-in user (the page is shown only to one). */
  user: User;
}

export function AccountPage({ client, user }: AccountPageProps) {
  useDocumentTitle('Account');
  // Links such as the 2FA banner's go to a section (/account#two-factor).
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView();
  }, []);
  const lastLogin = formatDateTime(user.last_login_at, user.time_zone);
  return (
    <div className="account">
      <h1>Account</h1>
      <dl className="account-facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{kRoleNames[user.role]}</dd>
        <dt>Member since</dt>
        <dd>{formatDateTime(user.created_at, user.time_zone)}</dd>
        {lastLogin && (
          <>
            <dt>Last log-in</dt>
            <dd>{lastLogin}</dd>
          </>
        )}
      </dl>
      <AccountSection id="profile" title="Profile">
        <ProfileForm client={client} user={user} />
      </AccountSection>
      <AccountSection id="password" title="Password">
        <PasswordForm client={client} />
      </AccountSection>
      <AccountSection id="two-factor" title="Two-factor authentication">
        <TwoFactorSection client={client} user={user} />
      </AccountSection>
      <AccountSection id="your-data" title="Your data">
        <ExportData client={client} />
      </AccountSection>
      <AccountSection id="delete-account" title="Delete your account">
        <DeleteAccount client={client} />
      </AccountSection>
    </div>
  );
}

function AccountSection({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section className="account-section" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}
