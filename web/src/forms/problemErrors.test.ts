import { describe, expect, it } from 'vitest';
import { formErrors } from './problemErrors';

const kInvalid = { type: 'about:blank', title: 'Invalid request', status: 400 };

describe('formErrors', () => {
  it("puts each field's messages beside it and leads with the detail", () => {
    const errors = formErrors(
      {
        ...kInvalid,
        detail: 'Some fields are not valid',
        errors: [
          { field: 'password', message: 'is too short (at least 8 characters)' },
          { field: 'password', message: 'is too common' },
          { field: '/email', message: 'is not an email address' },
        ],
      },
      ['email', 'password'],
    );

    expect(errors.fields).toEqual({
      password: ['This is too short (at least 8 characters).', 'This is too common.'],
      email: ['This is not an email address.'],
    });
    expect(errors.form).toBe('Some fields are not valid.');
  });

  it('says where to look when the problem has no detail, and keeps errors of absent fields', () => {
    expect(
      formErrors({ ...kInvalid, errors: [{ field: 'password', message: 'Too short.' }] }, [
        'password',
      ]),
    ).toEqual({ fields: { password: ['Too short.'] }, form: 'Check the fields marked below.' });

    expect(
      formErrors(
        {
          ...kInvalid,
          errors: [
            { field: 'nickname', message: 'Unknown field' },
            { field: 'time_zone', message: 'is not a known IANA time zone' },
          ],
        },
        ['password'],
      ),
    ).toEqual({
      fields: {},
      form: 'Unknown field. Time zone is not a known IANA time zone.',
    });
  });

  it('gives a status to a field, and words to a status without detail', () => {
    const taken = formErrors(
      { type: 'about:blank', title: 'Conflict', status: 409, detail: 'This email is taken.' },
      ['email', 'password'],
      { statusFields: { 409: 'email' } },
    );
    expect(taken).toEqual({ fields: { email: ['This email is taken.'] }, form: null });

    const wrong = formErrors({ type: 'about:blank', title: 'Unauthorized', status: 401 }, [], {
      statusMessages: { 401: 'The email or password is not right.' },
    });
    expect(wrong.form).toBe('The email or password is not right.');
  });

  it('tells how long to wait after too many attempts', () => {
    const problem = { type: 'about:blank', title: 'Too many requests', status: 429 };
    expect(formErrors(problem, [], { retryAfterSeconds: 30 }).form).toBe(
      'Too many requests. Try again in 30 seconds.',
    );
    expect(formErrors(problem, [], { retryAfterSeconds: 600 }).form).toBe(
      'Too many requests. Try again in 10 minutes.',
    );
  });
});
