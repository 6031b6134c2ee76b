import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, kProblemTypes, type AuthApi } from '../../api/client';
import { SignedInNotice } from '../../auth/SignedInNotice';
import { useSession } from '../../auth/useSession';
import { Field } from '../../forms/Field';
import { FormAlert } from '../../forms/FormAlert';
import { useFormAction } from '../../forms/useFormAction';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { Link, navigate, nextPath, paths } from '../../router/router';

/** The second step: the password was right and the account asks for a code too. */
interface Credentials {
  email: string;
  password: string;
}

export function LoginPage({ client = api }: { client?: AuthApi }) {
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  useDocumentTitle(credentials ? 'Two-factor authentication' : 'Log in');
  const state = useSession(client.session);

  if (state.status === 'signed-in' && credentials === null) {
    return (
      <div className="narrow">
        <h1>Log in</h1>
        <SignedInNotice user={state.user} />
      </div>
    );
  }
  return credentials ? (
    <CodeStep client={client} credentials={credentials} onBack={() => setCredentials(null)} />
  ) : (
    <PasswordStep client={client} onCodeNeeded={setCredentials} />
  );
}

interface PasswordStepProps {
  client: AuthApi;
  onCodeNeeded: (credentials: Credentials) => void;
}

function PasswordStep({ client, onCodeNeeded }: PasswordStepProps) {
  const form = useFormAction(['email', 'password'], {
    statusMessages: { 401: 'The email or password is not right.' },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const credentials = {
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
    void form.run(async () => {
      try {
        await client.login(credentials);
      } catch (error) {
        if (error instanceof ApiError && error.problem.type === kProblemTypes.mfaRequired) {
          onCodeNeeded(credentials);
          return;
        }
        throw error;
      }
      navigate(nextPath(), { replace: true });
    });
  }

  return (
    <div className="narrow">
      <h1>Log in</h1>
      <form ref={form.formRef} className="form" onSubmit={submit}>
        <FormAlert errors={form.errors} />
        <Field label="Email" errors={form.errors.fields.email}>
          {(control) => (
            <input
              {...control}
              name="email"
              type="email"
              autoComplete="username"
              spellCheck={false}
              required
            />
          )}
        </Field>
        <Field label="Password" errors={form.errors.fields.password}>
          {(control) => (
            <input
              {...control}
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          )}
        </Field>
        <p className="form-actions">
          <button type="submit" className="button button-primary" disabled={form.busy}>
            {form.busy ? 'Logging in…' : 'Log in'}
          </button>
        </p>
      </form>
      <p>
        New to Practica? <Link to={paths.signup(nextPath())}>Create an account</Link>
      </p>
    </div>
  );
}

interface CodeStepProps {
  client: AuthApi;
  credentials: Credentials;
  onBack: () => void;
}

function CodeStep({ client, credentials, onBack }: CodeStepProps) {
  const [recovery, setRecovery] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const form = useFormAction(['otp'], {
    statusMessages: { 401: 'That code is not right. Codes change every 30 seconds.' },
  });

  // A new step of the form: start where the user types next.
  useEffect(() => input.current?.focus(), [recovery]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const otp = String(new FormData(event.currentTarget).get('otp') ?? '').replace(/\s+/g, '');
    void form.run(async () => {
      await client.login({ ...credentials, otp });
      navigate(nextPath(), { replace: true });
    });
  }

  function switchKind() {
    form.clear();
    setRecovery((value) => !value);
  }

  return (
    <div className="narrow">
      <h1>Two-factor authentication</h1>
      <p className="lead">
        {recovery
          ? 'Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.'
          : 'Enter the 6-digit code from your authenticator app.'}
      </p>
      <form ref={form.formRef} className="form" onSubmit={submit}>
        <FormAlert errors={form.errors} />
        <Field
          key={recovery ? 'recovery' : 'totp'}
          label={recovery ? 'Recovery code' : 'Authentication code'}
          errors={form.errors.fields.otp}
          hint={recovery ? 'Such as k3x9-m2p7-q8r4.' : undefined}
        >
          {(control) => (
            <input
              {...control}
              ref={input}
              name="otp"
              type="text"
              className={recovery ? 'code-input' : 'code-input code-input-digits'}
              inputMode={recovery ? 'text' : 'numeric'}
              autoComplete="one-time-code"
              autoCapitalize="off"
              spellCheck={false}
              required
              maxLength={recovery ? 32 : 6}
              pattern={recovery ? undefined : '[0-9]{6}'}
              title={recovery ? undefined : 'Six digits'}
            />
          )}
        </Field>
        <p className="form-actions">
          <button type="submit" className="button button-primary" disabled={form.busy}>
            {form.busy ? 'Checking…' : 'Verify'}
          </button>
          <button type="button" className="link-button" onClick={switchKind}>
            {recovery ? 'Use a code from your app instead' : 'Use a recovery code instead'}
          </button>
        </p>
      </form>
      <p>
        <button type="button" className="link-button" onClick={onBack}>
          Log in with another account
        </button>
      </p>
    </div>
  );
}
