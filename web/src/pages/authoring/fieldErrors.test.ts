import { describe, expect, it } from 'vitest';
import { formErrors } from '../../forms/problemErrors';
import { parentPath, placeErrors } from './fieldErrors';

const kProblem = { type: 'urn:practica:problem:bad-request', title: 'Bad Request', status: 400 };

describe('placeErrors', () => {
  it("puts each error beside its field, without the field's name the message repeats", () => {
    const known = new Set(['prompt', 'options', 'options[0]', 'options[0].text', 'options[1]']);
    const placed = placeErrors(
      {
        ...kProblem,
        detail: 'The exercise is not valid.',
        errors: [
          { field: 'exercise.prompt', message: "'prompt' must not be empty" },
          { field: 'exercise.options[0].text', message: "'options[0].text' must not be empty" },
          {
            field: 'exercise.options',
            message: "'options' must have exactly one option with correct: true, found 2",
          },
        ],
      },
      known,
      'exercise.',
    );
    expect(placed.errors).toEqual([
      { field: 'prompt', message: 'must not be empty' },
      { field: 'options[0].text', message: 'must not be empty' },
      { field: 'options', message: 'must have exactly one option with correct: true, found 2' },
    ]);
    // As a form shows them: "This …" beside each field, the detail above the form.
    expect(formErrors(placed, [...known])).toEqual({
      fields: {
        prompt: ['This must not be empty.'],
        'options[0].text': ['This must not be empty.'],
        options: ['This must have exactly one option with correct: true, found 2.'],
      },
      form: 'The exercise is not valid.',
    });
  });

  it('puts an error on a part without an input beside its closest group, naming the part', () => {
    const placed = placeErrors(
      {
        ...kProblem,
        errors: [
          {
            field: 'exercise.options[1].id',
            message: "'options[1].id' 'a' is already used in this exercise (line 1)",
          },
          {
            field: 'exercise.variables.x',
            message: "'variables.x' must be a list of two numbers [low, high]",
          },
          { field: 'tags[2]', message: 'must be at most 64 bytes' },
        ],
      },
      new Set(['options', 'options[1]', 'variables', 'tags']),
      'exercise.',
    );
    expect(placed.errors).toEqual([
      { field: 'options[1]', message: "'options[1].id' 'a' is already used in this exercise" },
      { field: 'variables', message: "'variables.x' must be a list of two numbers [low, high]" },
      { field: 'tags', message: 'must be at most 64 bytes' },
    ]);
  });

  it('leaves errors of paths the form does not show for the form-wide message', () => {
    const placed = placeErrors(
      { ...kProblem, errors: [{ field: 'exercise.bogus', message: "unknown field 'bogus'" }] },
      new Set(['prompt']),
      'exercise.',
    );
    expect(placed.errors).toEqual([{ field: 'bogus', message: "Unknown field 'bogus'" }]);
    expect(formErrors(placed, ['prompt']).form).toBe("Unknown field 'bogus'.");
    const unnamed = placeErrors(
      { ...kProblem, errors: [{ field: 'exercise.samples', message: 'must be a whole number' }] },
      new Set(),
      'exercise.',
    );
    expect(formErrors(unnamed, []).form).toBe('Samples must be a whole number.');
  });

  it('walks up a path one step at a time', () => {
    expect(parentPath('gaps[0].answers[1].score')).toBe('gaps[0].answers[1]');
    expect(parentPath('gaps[0].answers[1]')).toBe('gaps[0].answers');
    expect(parentPath('gaps[0]')).toBe('gaps');
    expect(parentPath('variables.x')).toBe('variables');
    expect(parentPath('gaps')).toBeNull();
  });
});
