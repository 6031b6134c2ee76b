import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { fakeAuthoringApi, tryResult } from '../../test/authoring';
import { tryClient } from './tryClient';

describe('tryClient', () => {
  it('grades through the try endpoint and reads the grade as an attempt that counts nothing', async () => {
    const api = fakeAuthoringApi({
      tryExercise: async () =>
        tryResult({
          score: 0.5,
          correct: false,
          feedback_html: '<p>Close.</p>',
          parts: [{ part: 'b', score: 0.5, correct: false, feedback_html: '' }],
          explanation_html: '<p>Because.</p>',
        }),
    });
    const client = tryClient(api, 'algebra', 'p1', []);
    const first = await client.submitAttempt('algebra.p1', 'b', 'key-1');
    expect(api.tryExercise).toHaveBeenCalledWith('algebra', 'p1', 'b');
    expect(first).toMatchObject({
      attempt_number: 1,
      score: 0.5,
      raw_score: 0.5,
      correct: false,
      graded: true,
      feedback_html: '<p>Close.</p>',
      explanation_html: '<p>Because.</p>',
      attempts_left: null,
    });
    expect(first.parts).toHaveLength(1);
    const second = await client.submitAttempt('algebra.p1', 'b', 'key-2');
    expect(second.attempt_id).not.toBe(first.attempt_id);
  });

  it("reveals the draft's hints one by one, rendered by the server, then says none is left", async () => {
    const api = fakeAuthoringApi({ preview: async (markdown) => `<p>${markdown}</p>` });
    const client = tryClient(api, 'algebra', 'p1', ['First.', 'Second.']);
    expect(await client.takeHint('algebra.p1')).toEqual({
      hint_html: '<p>First.</p>',
      hint_number: 1,
      hints_left: 1,
    });
    expect(await client.takeHint('algebra.p1')).toMatchObject({ hint_number: 2, hints_left: 0 });
    const none = await client.takeHint('algebra.p1').catch((error: unknown) => error);
    expect(none).toBeInstanceOf(ApiError);
    expect((none as ApiError).status).toBe(409);
  });
});
