import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CourseProgress, SessionState } from '../../api/client';
import { fakeSession, kLearner } from '../../test/accounts';
import { kCourse } from '../../test/fixtures';
import { CoursePage } from './CoursePage';

function client(state: SessionState, progress: CourseProgress) {
  return {
    listCourses: async () => ({ items: [], next_cursor: null }),
    getCourse: async () => kCourse,
    getLesson: async () => {
      throw new Error('not used');
    },
    session: fakeSession(state).session,
    getCourseProgress: async () => progress,
  };
}

const kProgress: CourseProgress = {
  course: kCourse.slug,
  completion: 2 / 3,
  score: 0.6,
  xp: 25,
  streak: 1,
  exercises: [
    { exercise_id: 'mean-basic', lesson: 'averages', attempts: 1, best_score: 1, solved: true },
    { exercise_id: 'capital', lesson: 'averages', attempts: 2, best_score: 0.8, solved: true },
    { exercise_id: 'spread-1', lesson: 'spread', attempts: 1, best_score: 0, solved: false },
  ],
};

describe('CoursePage', () => {
  it("shows a signed-in learner's completion, score and solved exercises per lesson", async () => {
    render(
      <CoursePage
        course={kCourse.slug}
        client={client({ status: 'signed-in', user: kLearner }, kProgress)}
      />,
    );

    const section = await screen.findByRole('region', { name: 'Your progress' });
    const bar = within(section).getByRole('progressbar') as HTMLProgressElement;
    expect(bar.value).toBeCloseTo(2 / 3);
    expect(section.textContent).toContain('67 % complete');
    expect(section.textContent).toContain('2 of 3 exercises solved · score 60 % · 25 XP');
    const lessons = screen.getAllByRole('listitem').filter((item) => item.closest('.lesson-list'));
    expect(lessons.map((item) => item.textContent)).toEqual([
      'Averages2 exercises✓ 2 of 2 solved',
      'Spread1 exercise',
    ]);
  });

  it('shows no progress to visitors who are signed out', async () => {
    render(
      <CoursePage course={kCourse.slug} client={client({ status: 'signed-out' }, kProgress)} />,
    );

    expect(await screen.findByRole('heading', { level: 1, name: kCourse.title })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Your progress' })).toBeNull();
  });
});
