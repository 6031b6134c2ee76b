import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { formErrors, kNoErrors } from '../../forms/problemErrors';
import type { FormAction } from '../../forms/useFormAction';
import { toProblem } from '../../lib/useResource';
import { placeErrors } from './fieldErrors';

/** An element that shows a group's errors (a list, the options): focus may land on it. */
export const kGroupErrorClass = 'group-error';

/**
 * useFormAction for the authoring forms, whose fields are paths ("options[1].text"): a failure's
 * errors go beside the closest field or group the form shows (`known()`, asked at that moment,
 * since lists grow and shrink), and focus moves to the first of them.
 */
export function useEditAction(known: () => ReadonlySet<string>, prefix = ''): FormAction {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState(kNoErrors);
  const formRef = useRef<HTMLFormElement>(null);
  const running = useRef(false);

  useEffect(() => {
    if (Object.keys(errors.fields).length === 0) return;
    formRef.current
      ?.querySelector<HTMLElement>(`[aria-invalid="true"], .${kGroupErrorClass}`)
      ?.focus();
  }, [errors]);

  async function run(action: () => Promise<void>): Promise<void> {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setErrors(kNoErrors);
    try {
      await action();
    } catch (error) {
      const paths = known();
      setErrors(
        formErrors(placeErrors(toProblem(error), paths, prefix), [...paths], {
          retryAfterSeconds: error instanceof ApiError ? error.retryAfterSeconds : null,
        }),
      );
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return { busy, errors, formRef, run, clear: () => setErrors(kNoErrors) };
}
