import { useMemo } from 'react';
import type { Answer, Course, Exercise, LearningApi, Lesson, Session } from '../../api/client';
import { RichHtml } from '../../components/RichHtml';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { ExerciseView } from '../../exercises/ExerciseView';
import { ExercisePractice } from '../../practice/ExercisePractice';
import { exerciseProgress, useCourseProgress } from '../../practice/useCourseProgress';
import { Link, paths } from '../../router/router';
import { exerciseSlotIds, kExerciseSlotSelector } from './slots';

export interface LessonPlayerProps {
  course: Course;
  lesson: Lesson;
  /** Receives every change of a learner's answer, for grading (see ExerciseProps). */
  onAnswerChange?: (exerciseId: string, answer: Answer | null) => void;
  /** Grading: with it, each exercise has Check, hints and feedback (or asks to sign in). */
  practice?: {
    client: Pick<LearningApi, 'submitAttempt' | 'takeHint' | 'getCourseProgress'>;
    session: Session;
  };
}

/**
 * A lesson as the learner reads it: the text with each exercise at its place, and links to the
 * lessons before and after it.
 */
export function LessonPlayer({ course, lesson, onAnswerChange, practice }: LessonPlayerProps) {
  const position = course.lessons.findIndex((entry) => entry.slug === lesson.slug);
  const byId = useMemo(
    () => new Map(lesson.exercises.map((exercise, index) => [exercise.id, { exercise, index }])),
    [lesson.exercises],
  );
  // Exercises the HTML has no slot for still belong to the lesson: they follow the text.
  const unplaced = useMemo(() => {
    const placed = new Set(exerciseSlotIds(lesson.html));
    return lesson.exercises.filter((exercise) => !placed.has(exercise.id));
  }, [lesson.html, lesson.exercises]);
  const lang = course.language || undefined;
  // What the learner did before on these exercises: solved ones say so, used tries count.
  const progress = useCourseProgress(practice?.client, practice?.session, course.slug);

  function renderExercise(exercise: Exercise, index: number) {
    if (practice) {
      return (
        <ExercisePractice
          exercise={exercise}
          number={index + 1}
          total={lesson.exercises.length}
          client={practice.client}
          session={practice.session}
          prior={exerciseProgress(progress, exercise)}
        />
      );
    }
    return (
      <ExerciseView
        exercise={exercise}
        number={index + 1}
        total={lesson.exercises.length}
        onAnswerChange={onAnswerChange}
      />
    );
  }

  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Courses', to: paths.catalog() },
          { label: course.title, to: paths.course(course.slug) },
          { label: lesson.title },
        ]}
      />
      <article className="lesson" lang={lang}>
        <header className="lesson-header">
          {position >= 0 && (
            <p className="lesson-position">
              Lesson {position + 1} of {course.lessons.length}
            </p>
          )}
          <h1>{lesson.title}</h1>
        </header>
        <RichHtml
          className="lesson-body"
          html={lesson.html}
          slots={{
            selector: kExerciseSlotSelector,
            render: (slot) => {
              const id = slot.dataset.exerciseId ?? '';
              const entry = byId.get(id);
              return entry ? { key: id, node: renderExercise(entry.exercise, entry.index) } : null;
            },
          }}
        />
        {unplaced.map((exercise) => (
          <div key={exercise.id} className="exercise-slot">
            {renderExercise(exercise, byId.get(exercise.id)?.index ?? 0)}
          </div>
        ))}
      </article>
      <nav className="lesson-nav" aria-label="Lessons">
        {lesson.previous ? (
          <Link
            className="lesson-nav-link lesson-nav-previous"
            to={paths.lesson(course.slug, lesson.previous.slug)}
          >
            <span className="lesson-nav-direction">Previous lesson</span>
            <span className="lesson-nav-title" lang={lang}>
              {lesson.previous.title}
            </span>
          </Link>
        ) : (
          <span />
        )}
        {lesson.next ? (
          <Link
            className="lesson-nav-link lesson-nav-next"
            to={paths.lesson(course.slug, lesson.next.slug)}
          >
            <span className="lesson-nav-direction">Next lesson</span>
            <span className="lesson-nav-title" lang={lang}>
              {lesson.next.title}
            </span>
          </Link>
        ) : (
          <Link className="lesson-nav-link lesson-nav-next" to={paths.course(course.slug)}>
            <span className="lesson-nav-direction">Last lesson done?</span>
            <span className="lesson-nav-title">Back to the course outline</span>
          </Link>
        )}
      </nav>
    </>
  );
}
