import { useEffect, useRef, useState, type RefObject } from 'react';
import { ApiError } from '../api/client';
import { toProblem } from '../lib/useResource';
import { formErrors, kNoErrors, type FormErrorOptions, type FormErrors } from './problemErrors';

export interface FormAction {
  busy: boolean;
  errors: FormErrors;
  /** For the <form>: after a failure, focus moves to its first invalid control. */
  formRef: RefObject<HTMLFormElement>;
  /** Runs a submission; a rejection becomes `errors` (mapped onto `fieldNames`). */
  run: (action: () => Promise<void>) => Promise<void>;
  clear: () => void;
}

/** The state of a form that sends one request per submission and shows the server's errors. */
export function useFormAction(
  fieldNames: readonly string[],
  options: Omit<FormErrorOptions, 'retryAfterSeconds'> = {},
): FormAction {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(kNoErrors);
  const formRef = useRef<HTMLFormElement>(null);
  const running = useRef(false);

  useEffect(() => {
    if (Object.keys(errors.fields).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  async function run(action: () => Promise<void>): Promise<void> {
    if (running.current) return; // a double click sends one request
    running.current = true;
    setBusy(true);
    setErrors(kNoErrors);
    try {
      await action();
    } catch (error) {
      setErrors(
        formErrors(toProblem(error), fieldNames, {
          ...options,
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
