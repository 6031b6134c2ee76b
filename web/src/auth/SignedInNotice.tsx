import type { User } from '../api/client';
import { Link, paths } from '../router/router';

/** What the log-in and sign-up pages show to someone who is already signed in. */
export function SignedInNotice({ user }: { user: User }) {
  return (
    <p>
      You are signed in as <strong>{user.display_name}</strong>. Go to{' '}
      <Link to={paths.account()}>your account</Link> or to the{' '}
      <Link to={paths.catalog()}>course catalog</Link>.
    </p>
  );
}
