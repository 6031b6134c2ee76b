import type { AuthoringApi, TryResult } from '../../api/authoring';
import { ApiError, type AttemptResult, type LearningApi } from '../../api/client';

/**
 * What the learner's exercise player (ExercisePractice) needs of the learning API, answered by
 * the authoring API instead: Check grades the draft's exercise through POST …/try (the real
 * grader; nothing is stored, no try is counted), and Show a hint renders the draft's hints as the
 * server renders Markdown. So "try it" is the lesson's own player, word for word.
 */
export function tryClient(
  api: Pick<AuthoringApi, 'tryExercise' | 'preview'>,
  course: string,
  exercise: string,
  hints: readonly string[],
): Pick<LearningApi, 'submitAttempt' | 'takeHint'> {
  let tries = 0;
  let hintsShown = 0;
  return {
    async submitAttempt(_ref, answer) {
      const result = await api.tryExercise(course, exercise, answer);
      tries += 1;
      return attemptOf(result, tries);
    },
    async takeHint() {
      const markdown = hints[hintsShown];
      if (markdown === undefined) {
        throw new ApiError({ type: 'about:blank', title: 'No hints left', status: 409 });
      }
      const hint_html = await api.preview(markdown);
      hintsShown += 1;
      return { hint_html, hint_number: hintsShown, hints_left: hints.length - hintsShown };
    },
  };
}

/** A try as the player shows an attempt: never marked down, never out of tries. */
export function attemptOf(result: TryResult, number: number): AttemptResult {
  return {
    attempt_id: `try-${number}`,
    attempt_number: number,
    score: result.score,
    raw_score: result.score,
    correct: result.correct,
    graded: result.graded,
    feedback_html: result.feedback_html,
    parts: result.parts,
    explanation_html: result.explanation_html || undefined,
    attempts_left: null,
    progress: { attempts: number, best_score: 0, solved: false, hints_used: 0, xp: 0, streak: 0 },
  };
}
