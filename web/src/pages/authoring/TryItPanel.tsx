import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AuthoringApi } from '../../api/authoring';
import type { Exercise, Session } from '../../api/client';
import { ExercisePractice } from '../../practice/ExercisePractice';
import { tryClient } from './tryClient';

export interface TryItPanelProps {
  api: Pick<AuthoringApi, 'tryExercise' | 'preview'>;
  session: Session;
  course: string;
  /** The saved exercise as learners see it (GET …/exercises/{id}: view). */
  view: Exercise;
  /** Its hints' Markdown, revealed one by one as learners reveal them. */
  hints: readonly string[];
  /** The form holds changes not saved yet: the panel still tries the saved exercise. */
  unsaved: boolean;
}

/**
 * "Try it": the saved exercise exactly as a learner meets it in a lesson, checked by the
 * server's grader through the try endpoint, which stores nothing.
 */
export function TryItPanel({ api, session, course, view, hints, unsaved }: TryItPanelProps) {
  // Each round starts afresh: an author tries one answer after another, right ones included.
  const [round, setRound] = useState(0);
  const [restarted, setRestarted] = useState(false);
  const player = useRef<HTMLDivElement>(null);
  const client = useMemo(
    () => tryClient(api, course, view.id, hints),
    // A new round counts hints from the first again.
    [api, course, view.id, hints, round],
  );

  useLayoutEffect(() => {
    if (!restarted) return;
    player.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
    setRestarted(false);
  }, [restarted]);

  return (
    <section className="try-it" aria-labelledby="try-it-title">
      <h2 id="try-it-title">Try it</h2>
      <p className="field-help">
        As learners will see it. Answers are graded by the server and stored nowhere; tries are not
        counted.
      </p>
      {unsaved && (
        <p className="try-it-unsaved" role="status">
          You have unsaved changes: this tries the exercise as last saved.
        </p>
      )}
      <div ref={player}>
        <ExercisePractice
          // A newly saved exercise starts afresh, as does a new round.
          key={JSON.stringify([view, hints, round])}
          exercise={view}
          number={1}
          total={1}
          client={client}
          session={session}
        />
      </div>
      <p className="form-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setRound((n) => n + 1);
            setRestarted(true);
          }}
        >
          Start again
        </button>
      </p>
    </section>
  );
}
