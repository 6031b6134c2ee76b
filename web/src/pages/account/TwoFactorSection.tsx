import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AccountApi, TotpEnrollment, User } from '../../api/client';
import { Field } from '../../forms/Field';
import { FormAlert } from '../../forms/FormAlert';
import { PasswordConfirmForm } from '../../forms/PasswordConfirmForm';
import { useFormAction } from '../../forms/useFormAction';
import { QrCode } from './QrCode';
import { RecoveryCodes } from './RecoveryCodes';

const kWrongCode =
  'That code is not right. Check the time on your phone, and type the newest code.';

type Step =
  | { kind: 'idle' }
  | { kind: 'enrolling'; enrollment: TotpEnrollment }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disabling' };

export interface TwoFactorSectionProps {
  client: AccountApi;
  user: User;
}

/** Two-factor authentication (TOTP): set-up with a QR code, recovery codes, and turning it off. */
export function TwoFactorSection({ client, user }: TwoFactorSectionProps) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [status, setStatus] = useState('');
  const start = useFormAction([]);

  function begin() {
    setStatus('');
    void start.run(async () => {
      setStep({ kind: 'enrolling', enrollment: await client.startTotp() });
    });
  }

  function finish(message: string) {
    setStep({ kind: 'idle' });
    setStatus(message);
  }

  switch (step.kind) {
    case 'enrolling':
      return (
        <TotpSetup
          client={client}
          enrollment={step.enrollment}
          onConfirmed={(codes) => setStep({ kind: 'codes', codes })}
          onCancel={() => finish('')}
        />
      );
    case 'codes':
      return <RecoveryCodes codes={step.codes} onDone={() => finish('')} />;
    case 'disabling':
      return (
        <DisableTotp
          client={client}
          onDisabled={() => finish('Two-factor authentication is off.')}
          onCancel={() => finish('')}
        />
      );
    case 'idle':
      break;
  }

  const required = user.role !== 'learner';
  return (
    <>
      {user.mfa_enabled ? (
        <>
          <p>
            <span className="badge badge-on">On</span> Logging in asks for a code from your
            authenticator app, or one of your recovery codes.
          </p>
          {required ? (
            <p className="field-help">
              Your account is an {user.role}&apos;s, which must keep two-factor authentication on.
            </p>
          ) : (
            <p>
              <button
                type="button"
                className="button"
                onClick={() => setStep({ kind: 'disabling' })}
              >
                Turn off two-factor authentication
              </button>
            </p>
          )}
        </>
      ) : (
        <>
          <p>
            <span className="badge">Off</span> Add a second step to logging in: a code from an
            authenticator app on your phone, so a stolen password alone cannot open your account.
          </p>
          <FormAlert errors={start.errors} />
          <p>
            <button
              type="button"
              className="button button-primary"
              onClick={begin}
              disabled={start.busy}
            >
              {start.busy ? 'Starting…' : 'Set up two-factor authentication'}
            </button>
          </p>
        </>
      )}
      <p role="status" className="form-status">
        {status}
      </p>
    </>
  );
}

interface TotpSetupProps {
  client: AccountApi;
  enrollment: TotpEnrollment;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}

function TotpSetup({ client, enrollment, onConfirmed, onCancel }: TotpSetupProps) {
  const form = useFormAction(['code'], {
    statusFields: { 400: 'code', 401: 'code', 422: 'code' },
    statusMessages: { 400: kWrongCode, 401: kWrongCode, 422: kWrongCode },
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').replace(/\s+/g, '');
    void form.run(async () => onConfirmed(await client.confirmTotp(code)));
  }

  return (
    <div className="totp-setup">
      <h3 ref={heading} tabIndex={-1}>
        Set up your authenticator app
      </h3>
      <ol className="steps">
        <li>
          <p>
            In an authenticator app (such as Aegis, FreeOTP, Google Authenticator or 1Password), add
            an account by scanning this QR code:
          </p>
          <QrCode
            value={enrollment.otpauth_uri}
            label="QR code for your authenticator app (the same key as the text below)"
          />
          <p>Or type this key into the app:</p>
          <p>
            <code className="totp-secret">{groupedSecret(enrollment.secret)}</code>
          </p>
        </li>
        <li>
          <form ref={form.formRef} className="form" onSubmit={submit}>
            <FormAlert errors={form.errors} />
            <Field label="The 6-digit code the app shows" errors={form.errors.fields.code}>
              {(control) => (
                <input
                  {...control}
                  name="code"
                  type="text"
                  className="code-input code-input-digits"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]{6}"
                  title="Six digits"
                  maxLength={6}
                  required
                />
              )}
            </Field>
            <p className="form-actions">
              <button type="submit" className="button button-primary" disabled={form.busy}>
                {form.busy ? 'Checking…' : 'Turn on two-factor authentication'}
              </button>
              <button type="button" className="button" onClick={onCancel}>
                Cancel
              </button>
            </p>
          </form>
        </li>
      </ol>
    </div>
  );
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type; apps ignore the spaces. */
export function groupedSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

interface DisableTotpProps {
  client: AccountApi;
  onDisabled: () => void;
  onCancel: () => void;
}

function DisableTotp({ client, onDisabled, onCancel }: DisableTotpProps) {
  return (
    <PasswordConfirmForm
      passwordLabel="Your password"
      submitLabel="Turn off two-factor authentication"
      busyLabel="Turning off…"
      refusedStatuses={[401]}
      onConfirm={async (password) => {
        await client.disableTotp(password);
        onDisabled();
      }}
      onCancel={onCancel}
    >
      <p>Logging in will ask only for your password again. Your recovery codes stop working.</p>
    </PasswordConfirmForm>
  );
}
