// The authoring forms' controls: each takes the path the API names it by, and shows that path's
// errors beside it (fieldErrors.ts puts each server error on the closest shown path).

import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Field } from '../../forms/Field';
import { kGroupErrorClass } from './useEditAction';

/** The messages for a path, from the last failed save. */
export type ErrorsAt = (path: string) => string[] | undefined;

interface TextProps {
  label: ReactNode;
  path: string;
  errors: ErrorsAt;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  /** Also shows the errors of these paths (a text that is an answer's `text` or its `regex`). */
  alsoPaths?: readonly string[];
  inputMode?: 'decimal' | 'numeric' | 'text';
  placeholder?: string;
  required?: boolean;
  readOnly?: boolean;
  className?: string;
}

function messages(errors: ErrorsAt, path: string, also: readonly string[] = []) {
  const all = [path, ...also].flatMap((p) => errors(p) ?? []);
  return all.length > 0 ? all : undefined;
}

export function TextInput({
  label,
  path,
  errors,
  value,
  onChange,
  hint,
  alsoPaths,
  ...rest
}: TextProps) {
  return (
    <Field label={label} errors={messages(errors, path, alsoPaths)} hint={hint}>
      {(control) => (
        <input
          {...control}
          type="text"
          className={rest.className ?? 'text-input'}
          value={value}
          inputMode={rest.inputMode}
          placeholder={rest.placeholder}
          required={rest.required}
          readOnly={rest.readOnly}
          spellCheck={rest.inputMode === undefined || rest.inputMode === 'text'}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function TextArea({
  label,
  path,
  errors,
  value,
  onChange,
  hint,
  rows = 3,
  ...rest
}: TextProps & { rows?: number }) {
  return (
    <Field label={label} errors={messages(errors, path)} hint={hint}>
      {(control) => (
        <textarea
          {...control}
          className={rest.className ?? 'text-area'}
          rows={rows}
          value={value}
          required={rest.required}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function Checkbox({
  label,
  path,
  errors,
  checked,
  onChange,
}: {
  label: ReactNode;
  path: string;
  errors: ErrorsAt;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  const shown = errors(path);
  return (
    <div className={shown ? 'check-field field-invalid' : 'check-field'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {shown && (
        <p id={`${id}-error`} className="field-error">
          {shown.join(' ')}
        </p>
      )}
    </div>
  );
}

export function Select<T extends string>({
  label,
  path,
  errors,
  value,
  options,
  onChange,
  hint,
}: {
  label: ReactNode;
  path: string;
  errors: ErrorsAt;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  hint?: ReactNode;
}) {
  return (
    <Field label={label} errors={messages(errors, path)} hint={hint}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value as T)}>
          {options.map(([option, name]) => (
            <option key={option} value={option}>
              {name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A group's own errors ("must list at least 2 items"): focusable, for after a failed save. */
export function GroupErrors({ id, messages: shown }: { id: string; messages?: string[] }) {
  if (!shown || shown.length === 0) return null;
  return (
    <p id={id} className={`field-error ${kGroupErrorClass}`} tabIndex={-1}>
      {shown.join(' ')}
    </p>
  );
}

export interface ListEditorProps<T> {
  legend: ReactNode;
  /** One item, in words: "option", "hint". */
  itemName: string;
  path: string;
  errors: ErrorsAt;
  items: readonly T[];
  onChange: (items: T[]) => void;
  create: (items: readonly T[]) => T;
  renderItem: (item: T, index: number, update: (item: T) => void) => ReactNode;
  /** Items keep an order that matters (ordering's items): Move up and Move down. */
  movable?: boolean;
  hint?: ReactNode;
}

type Pending = { index: number; control: 'first' | 'up' | 'down' } | 'add' | null;

/**
 * A list of sub-forms (options, answers, gaps…) with Add, Remove and optionally Move. Focus
 * follows: into a new item, to the item that takes a removed one's place (or Add), and with a
 * moved item's button.
 */
export function ListEditor<T>({
  legend,
  itemName,
  path,
  errors,
  items,
  onChange,
  create,
  renderItem,
  movable = false,
  hint,
}: ListEditorProps<T>) {
  const id = useId();
  const list = useRef<HTMLOListElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [announcement, setAnnouncement] = useState('');
  const Name = itemName.charAt(0).toUpperCase() + itemName.slice(1);

  useLayoutEffect(() => {
    if (pending === null) return;
    if (pending === 'add') addButton.current?.focus();
    else {
      const item = list.current?.children[pending.index];
      const target =
        pending.control === 'first'
          ? item?.querySelector<HTMLElement>('input, textarea, select')
          : item?.querySelector<HTMLElement>(`[data-move="${pending.control}"]`);
      target?.focus();
    }
    setPending(null);
  }, [pending]);

  function add() {
    onChange([...items, create(items)]);
    setPending({ index: items.length, control: 'first' });
  }

  function remove(index: number) {
    const next = items.filter((_, i) => i !== index);
    onChange(next);
    setAnnouncement(`${Name} ${index + 1} removed.`);
    setPending(
      next.length === 0 ? 'add' : { index: Math.min(index, next.length - 1), control: 'first' },
    );
  }

  function move(index: number, delta: -1 | 1) {
    const to = index + delta;
    if (to < 0 || to >= items.length) return;
    const next = [...items];
    const [moved] = next.splice(index, 1);
    next.splice(to, 0, moved as T);
    onChange(next);
    setAnnouncement(`${Name} ${index + 1} moved to position ${to + 1} of ${items.length}.`);
    setPending({ index: to, control: delta < 0 ? 'up' : 'down' });
  }

  const groupErrors = errors(path);
  const describedBy = [groupErrors ? `${id}-errors` : '', hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset className="list-editor" aria-describedby={describedBy || undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="field-help">
          {hint}
        </p>
      )}
      <GroupErrors id={`${id}-errors`} messages={groupErrors} />
      <ol className="list-editor-items" ref={list}>
        {items.map((item, index) => {
          const itemErrors = errors(`${path}[${index}]`);
          const itemErrorId = `${id}-${index}-errors`;
          return (
            // Items have no identity of their own while being written: their place is their key.
            <li key={index}>
              <fieldset
                className="list-item"
                aria-describedby={itemErrors ? itemErrorId : undefined}
              >
                <legend>
                  {Name} {index + 1}
                </legend>
                <GroupErrors id={itemErrorId} messages={itemErrors} />
                <div className="list-item-fields">
                  {renderItem(item, index, (changed) =>
                    onChange(items.map((other, i) => (i === index ? changed : other))),
                  )}
                </div>
                <div className="list-item-actions">
                  {movable && (
                    <>
                      <button
                        type="button"
                        className="icon-button"
                        data-move="up"
                        aria-label={`Move ${itemName} ${index + 1} up`}
                        aria-disabled={index === 0}
                        onClick={() => move(index, -1)}
                      >
                        <span aria-hidden="true">↑</span>
                      </button>
                      <button
                        type="button"
                        className="icon-button"
                        data-move="down"
                        aria-label={`Move ${itemName} ${index + 1} down`}
                        aria-disabled={index === items.length - 1}
                        onClick={() => move(index, 1)}
                      >
                        <span aria-hidden="true">↓</span>
                      </button>
                    </>
                  )}
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Remove ${itemName} ${index + 1}`}
                    onClick={() => remove(index)}
                  >
                    Remove
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button type="button" ref={addButton} className="button button-small" onClick={add}>
        Add {/^[aeiou]/.test(itemName) ? 'an' : 'a'} {itemName}
      </button>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </fieldset>
  );
}
