import { describe, expect, it } from 'vitest';
import { applyRequest, drop, moveExercise, moveLesson, step, type Outline } from './outlineMoves';

const kOutline: Outline = [
  { slug: 'powers', exercises: ['p1', 'p2', 'p3'] },
  { slug: 'roots', exercises: ['r1'] },
  { slug: 'logs', exercises: [] },
];

describe('outline moves', () => {
  it('sends the same request for a lesson dragged one place as for Move down or Move up', () => {
    const down = step(kOutline, { kind: 'lesson', slug: 'powers' }, 1);
    expect(down).toEqual({ kind: 'lesson-order', lessons: ['roots', 'powers', 'logs'] });
    // Dropped on the lower half of the next lesson, or on the upper half of the one after.
    expect(
      drop(
        kOutline,
        { kind: 'lesson', slug: 'powers' },
        { kind: 'lesson', slug: 'roots', after: true },
      ),
    ).toEqual(down);
    expect(
      drop(
        kOutline,
        { kind: 'lesson', slug: 'powers' },
        { kind: 'lesson', slug: 'logs', after: false },
      ),
    ).toEqual(down);

    const up = step(kOutline, { kind: 'lesson', slug: 'logs' }, -1);
    expect(up).toEqual({ kind: 'lesson-order', lessons: ['powers', 'logs', 'roots'] });
    expect(
      drop(
        kOutline,
        { kind: 'lesson', slug: 'logs' },
        { kind: 'lesson', slug: 'roots', after: false },
      ),
    ).toEqual(up);
  });

  it('sends the same request for an exercise dragged one place as for Move down or Move up', () => {
    const down = step(kOutline, { kind: 'exercise', id: 'p1' }, 1);
    expect(down).toEqual({ kind: 'move-exercise', exercise: 'p1', lesson: 'powers', position: 1 });
    expect(
      drop(kOutline, { kind: 'exercise', id: 'p1' }, { kind: 'exercise', id: 'p2', after: true }),
    ).toEqual(down);
    expect(
      drop(kOutline, { kind: 'exercise', id: 'p1' }, { kind: 'exercise', id: 'p3', after: false }),
    ).toEqual(down);

    const up = step(kOutline, { kind: 'exercise', id: 'p3' }, -1);
    expect(up).toEqual({ kind: 'move-exercise', exercise: 'p3', lesson: 'powers', position: 1 });
    expect(
      drop(kOutline, { kind: 'exercise', id: 'p3' }, { kind: 'exercise', id: 'p2', after: false }),
    ).toEqual(up);
  });

  it('moves an exercise past the end of its lesson into the next one, as a drop there does', () => {
    const down = step(kOutline, { kind: 'exercise', id: 'p3' }, 1);
    expect(down).toEqual({ kind: 'move-exercise', exercise: 'p3', lesson: 'roots', position: 0 });
    expect(
      drop(kOutline, { kind: 'exercise', id: 'p3' }, { kind: 'exercise', id: 'r1', after: false }),
    ).toEqual(down);

    const up = step(kOutline, { kind: 'exercise', id: 'r1' }, -1);
    expect(up).toEqual({ kind: 'move-exercise', exercise: 'r1', lesson: 'powers', position: 3 });
    expect(
      drop(kOutline, { kind: 'exercise', id: 'r1' }, { kind: 'exercise', id: 'p3', after: true }),
    ).toEqual(up);

    // Into a lesson without exercises: its empty list takes the drop.
    const intoEmpty = step(kOutline, { kind: 'exercise', id: 'r1' }, 1);
    expect(intoEmpty).toEqual({
      kind: 'move-exercise',
      exercise: 'r1',
      lesson: 'logs',
      position: 0,
    });
    expect(
      drop(kOutline, { kind: 'exercise', id: 'r1' }, { kind: 'lesson-end', slug: 'logs' }),
    ).toEqual(intoEmpty);
  });

  it('sends nothing for a move that changes nothing, off the ends, or across kinds', () => {
    expect(step(kOutline, { kind: 'lesson', slug: 'powers' }, -1)).toBeNull();
    expect(step(kOutline, { kind: 'lesson', slug: 'logs' }, 1)).toBeNull();
    expect(step(kOutline, { kind: 'exercise', id: 'p1' }, -1)).toBeNull();
    expect(
      drop(kOutline, { kind: 'exercise', id: 'p2' }, { kind: 'exercise', id: 'p2', after: true }),
    ).toBeNull();
    expect(
      drop(kOutline, { kind: 'exercise', id: 'p2' }, { kind: 'exercise', id: 'p1', after: true }),
    ).toBeNull();
    expect(
      drop(
        kOutline,
        { kind: 'lesson', slug: 'roots' },
        { kind: 'lesson', slug: 'powers', after: true },
      ),
    ).toBeNull();
    expect(
      drop(
        kOutline,
        { kind: 'lesson', slug: 'roots' },
        { kind: 'exercise', id: 'p1', after: true },
      ),
    ).toBeNull();
    expect(
      drop(
        kOutline,
        { kind: 'exercise', id: 'p1' },
        { kind: 'lesson', slug: 'roots', after: true },
      ),
    ).toBeNull();
    expect(moveLesson(kOutline, 'nope', 1)).toBeNull();
    expect(moveExercise(kOutline, 'p1', 'nope', 0)).toBeNull();
  });

  it("gives the outline the server's answer will show", () => {
    const moved = applyRequest(kOutline, {
      kind: 'move-exercise',
      exercise: 'p1',
      lesson: 'roots',
      position: 1,
    });
    expect(moved).toEqual([
      { slug: 'powers', exercises: ['p2', 'p3'] },
      { slug: 'roots', exercises: ['r1', 'p1'] },
      { slug: 'logs', exercises: [] },
    ]);
    expect(
      applyRequest(kOutline, { kind: 'lesson-order', lessons: ['logs', 'powers', 'roots'] }).map(
        (l) => l.slug,
      ),
    ).toEqual(['logs', 'powers', 'roots']);
  });
});
