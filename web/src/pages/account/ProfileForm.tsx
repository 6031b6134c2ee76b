import { useMemo, useState, type FormEvent } from 'react';
import type { AccountApi, ProfileChanges, User } from '../../api/client';
import { Field } from '../../forms/Field';
import { FormAlert } from '../../forms/FormAlert';
import { useFormAction } from '../../forms/useFormAction';
import { timeZoneLabel, timeZoneOptions } from '../../lib/timeZones';

export interface ProfileFormProps {
  client: AccountApi;
  user: User;
}

/** The name and time zone: PATCH /api/me with the fields that changed. */
export function ProfileForm({ client, user }: ProfileFormProps) {
  const form = useFormAction(['display_name', 'time_zone']);
  const [saved, setSaved] = useState('');
  const zones = useMemo(() => timeZoneOptions(user.time_zone), [user.time_zone]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const changes: ProfileChanges = {};
    const displayName = String(data.get('display_name') ?? '').trim();
    const timeZone = String(data.get('time_zone') ?? '');
    if (displayName !== user.display_name) changes.display_name = displayName;
    if (timeZone !== user.time_zone) changes.time_zone = timeZone;
    setSaved('');
    void form.run(async () => {
      if (Object.keys(changes).length === 0) {
        setSaved('Nothing has changed.');
        return;
      }
      await client.updateMe(changes);
      setSaved('Your profile has been saved.');
    });
  }

  return (
    <form ref={form.formRef} className="form" onSubmit={submit}>
      <FormAlert errors={form.errors} />
      <Field label="Name" errors={form.errors.fields.display_name}>
        {(control) => (
          <input
            {...control}
            name="display_name"
            type="text"
            autoComplete="name"
            required
            maxLength={100}
            defaultValue={user.display_name}
          />
        )}
      </Field>
      <Field
        label="Time zone"
        errors={form.errors.fields.time_zone}
        hint="Days, streaks and reviews follow your time zone."
      >
        {(control) => (
          <select {...control} name="time_zone" defaultValue={user.time_zone}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {timeZoneLabel(zone)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="form-actions">
        <button type="submit" className="button button-primary" disabled={form.busy}>
          {form.busy ? 'Saving…' : 'Save profile'}
        </button>
        <span role="status" className="form-status">
          {saved}
        </span>
      </p>
    </form>
  );
}
