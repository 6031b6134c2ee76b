import type { FormEvent } from 'react';
import { ApiError, api, type AuthApi, type SignupRequest } from '../../api/client';
import { SignedInNotice } from '../../auth/SignedInNotice';
import { useSession } from '../../auth/useSession';
import { Field } from '../../forms/Field';
import { FormAlert } from '../../forms/FormAlert';
import { useFormAction } from '../../forms/useFormAction';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { browserTimeZone } from '../../lib/timeZones';
import { Link, navigate, nextPath, paths } from '../../router/router';

const kFields = ['display_name', 'email', 'password'] as const;

export function SignupPage({ client = api }: { client?: AuthApi }) {
  useDocumentTitle('Sign up');
  const state = useSession(client.session);
  const form = useFormAction(kFields, { statusFields: { 409: 'email' } });
  const { fields } = form.errors;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const request: SignupRequest = {
      display_name: String(data.get('display_name') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
      time_zone: browserTimeZone(),
    };
    void form.run(async () => {
      try {
        await client.signup(request);
      } catch (error) {
        // The user cannot fix a time zone they never typed: let the server choose (UTC), and
        // the account page change it.
        if (!onlyTimeZoneRefused(error)) throw error;
        await client.signup({ ...request, time_zone: undefined });
      }
      navigate(nextPath(), { replace: true });
    });
  }

  return (
    <div className="narrow">
      <h1>Create your account</h1>
      {state.status === 'signed-in' && !form.busy ? (
        <SignedInNotice user={state.user} />
      ) : (
        <>
          <p className="lead">Keep your progress and review schedule on every device.</p>
          <form ref={form.formRef} className="form" onSubmit={submit}>
            <FormAlert errors={form.errors} />
            <Field label="Name" errors={fields.display_name} hint="Shown to you and your teachers.">
              {(control) => (
                <input
                  {...control}
                  name="display_name"
                  type="text"
                  autoComplete="name"
                  required
                  maxLength={100}
                />
              )}
            </Field>
            <Field label="Email" errors={fields.email}>
              {(control) => (
                <input
                  {...control}
                  name="email"
                  type="email"
                  autoComplete="email"
                  spellCheck={false}
                  required
                />
              )}
            </Field>
            <Field
              label="Password"
              errors={fields.password}
              hint="At least 8 characters. Commonly used passwords are refused."
            >
              {(control) => (
                <input
                  {...control}
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  required
                  minLength={8}
                />
              )}
            </Field>
            <p className="form-actions">
              <button type="submit" className="button button-primary" disabled={form.busy}>
                {form.busy ? 'Creating your account…' : 'Create account'}
              </button>
            </p>
          </form>
          <p>
            Already have an account? <Link to={paths.login(nextPath())}>Log in</Link>
          </p>
        </>
      )}
    </div>
  );
}

function onlyTimeZoneRefused(error: unknown): boolean {
  const errors = error instanceof ApiError ? error.problem.errors : undefined;
  return !!errors && errors.length > 0 && errors.every((e) => e.field === 'time_zone');
}
