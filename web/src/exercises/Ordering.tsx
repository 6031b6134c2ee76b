import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RichItem } from '../api/client';
import { RichHtml } from '../components/RichHtml';
import { htmlToText } from '../lib/htmlToText';
import { moveItem } from './answers';
import { PartMark, PartNote } from './PartFeedback';
import { partVerdict } from './parts';
import type { ExerciseProps } from './types';

type Direction = 'up' | 'down';

/**
 * A list the learner reorders with "up" and "down" buttons. The buttons at the ends stay
 * focusable (aria-disabled rather than disabled), and focus follows the moved item, so a
 * keyboard user can keep pressing the same button.
 */
export function Ordering({ exercise, promptId, onChange, parts }: ExerciseProps<'ordering'>) {
  const [order, setOrder] = useState<readonly RichItem[]>(exercise.items);
  const [announcement, setAnnouncement] = useState('');
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const pendingFocus = useRef<string | null>(null);
  const idBase = useId();
  const names = useMemo(
    () => new Map(exercise.items.map((item) => [item.id, htmlToText(item.text_html)])),
    [exercise.items],
  );

  useLayoutEffect(() => {
    if (pendingFocus.current === null) return;
    buttons.current.get(pendingFocus.current)?.focus();
    pendingFocus.current = null;
  }, [order]);

  function move(index: number, direction: Direction) {
    const next = moveItem(order, index, direction === 'up' ? -1 : 1);
    if (next === order) return;
    const item = order[index];
    if (!item) return;
    const position = index + (direction === 'up' ? 0 : 2);
    setOrder(next);
    pendingFocus.current = `${item.id}:${direction}`;
    setAnnouncement(
      `${names.get(item.id) ?? 'Item'} moved to position ${position} of ${next.length}.`,
    );
    onChange(next.map((entry) => entry.id));
  }

  function buttonRef(key: string) {
    return (element: HTMLButtonElement | null) => {
      if (element) buttons.current.set(key, element);
      else buttons.current.delete(key);
    };
  }

  return (
    <div className="ordering">
      <ol className="ordering-list" aria-labelledby={promptId}>
        {order.map((item, index) => {
          const name = names.get(item.id) ?? `item ${index + 1}`;
          const first = index === 0;
          const last = index === order.length - 1;
          const part = parts?.get(item.id);
          const verdict = part ? partVerdict(part) : null;
          return (
            <li
              key={item.id}
              className={verdict ? `ordering-item choice-${verdict.tone}` : 'ordering-item'}
            >
              <RichHtml as="span" className="ordering-text" html={item.text_html} />
              {verdict && <PartMark tone={verdict.tone} />}
              <span className="ordering-buttons">
                <button
                  type="button"
                  className="icon-button"
                  ref={buttonRef(`${item.id}:up`)}
                  aria-label={`Move “${name}” up`}
                  aria-disabled={first}
                  onClick={() => move(index, 'up')}
                >
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  className="icon-button"
                  ref={buttonRef(`${item.id}:down`)}
                  aria-label={`Move “${name}” down`}
                  aria-disabled={last}
                  onClick={() => move(index, 'down')}
                >
                  <span aria-hidden="true">↓</span>
                </button>
              </span>
              {part && <PartNote id={`${idBase}-note-${index}`} part={part} />}
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </div>
  );
}
