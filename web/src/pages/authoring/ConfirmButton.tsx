import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmButtonProps {
  /** The button's text ("Delete"). */
  children: ReactNode;
  /** Its accessible name when the text alone is ambiguous ("Delete lesson “Averages”"). */
  label?: string;
  /** What confirming will do, asked before it happens. */
  question: ReactNode;
  /** The confirming button's text ("Delete the lesson"). */
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  className?: string;
  disabled?: boolean;
}

/**
 * A button for something hard to undo: pressing it asks first, in place, with focus on the
 * confirming button; Cancel (or Escape) puts focus back on the button.
 */
export function ConfirmButton({
  children,
  label,
  question,
  confirmLabel,
  onConfirm,
  className = 'button button-small',
  disabled = false,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const group = useRef<HTMLSpanElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (asking) confirm.current?.focus();
    else if (returnFocus.current) trigger.current?.focus();
    returnFocus.current = false;
  }, [asking]);

  function cancel() {
    returnFocus.current = true;
    setAsking(false);
  }

  async function run() {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      // Still here (it failed, or the thing stays): back to the button, unless what it did has
      // put focus somewhere on purpose (a notice that the draft went stale, say).
      const active = document.activeElement;
      returnFocus.current =
        active === null || active === document.body || (group.current?.contains(active) ?? false);
      setBusy(false);
      setAsking(false);
    }
  }

  if (!asking) {
    return (
      <button
        type="button"
        ref={trigger}
        className={className}
        aria-label={label}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {children}
      </button>
    );
  }
  return (
    <span
      ref={group}
      className="confirm"
      role="group"
      aria-label={label ?? confirmLabel}
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancel();
      }}
    >
      <span className="confirm-question">{question}</span>{' '}
      <button
        type="button"
        ref={confirm}
        className="button button-small button-danger"
        disabled={busy}
        onClick={() => void run()}
      >
        {busy ? 'Working…' : confirmLabel}
      </button>{' '}
      <button type="button" className="button button-small" onClick={cancel}>
        Cancel
      </button>
    </span>
  );
}
