import { describe, expect, it } from 'vitest';
import { jsonResponse, problemResponse } from '../test/accounts';
import { draft } from '../test/authoring';
import { signedInClient } from '../test/learning';
import { createAuthoringApi, isStaleDraft, kStaleRevision } from './authoring';
import { ApiError } from './client';

/** A Blob's text (jsdom's Blob has no text()). */
function textOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(blob);
  });
}

describe('the authoring API', () => {
  it('sends each change with If-Match naming the revision it was made on', async () => {
    const { client, fetch } = await signedInClient(() => jsonResponse(draft({ revision: 8 })));
    const api = createAuthoringApi(client);
    await api.reorderLessons('algebra', 7, ['roots', 'powers']);
    await api.moveExercise('algebra', 7, 'p/1', 'roots', 0);
    const [reorder, move] = fetch.mock.calls.slice(-2);
    expect(reorder?.[0]).toBe('/api/authoring/courses/algebra/lesson-order');
    expect(reorder?.[1]?.method).toBe('PUT');
    expect((reorder?.[1]?.headers as Record<string, string>)['If-Match']).toBe('"7"');
    expect(JSON.parse(String(reorder?.[1]?.body))).toEqual({ lessons: ['roots', 'powers'] });
    expect(move?.[0]).toBe('/api/authoring/courses/algebra/exercises/p%2F1/move');
    expect(JSON.parse(String(move?.[1]?.body))).toEqual({ lesson: 'roots', position: 0 });
  });

  it('uploads a zip as it is, and downloads one with its file name', async () => {
    const { client, fetch } = await signedInClient((_path, init) =>
      init?.method === 'PUT'
        ? jsonResponse(draft())
        : new Response('PK…', {
            headers: {
              'Content-Type': 'application/zip',
              'Content-Disposition': 'attachment; filename="algebra.zip"',
            },
          }),
    );
    const api = createAuthoringApi(client);
    const zip = new Blob(['PK…']);
    await api.uploadBundle('algebra', 3, zip);
    const init = fetch.mock.calls.at(-1)?.[1];
    const headers = init?.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/zip');
    expect(headers['If-Match']).toBe('"3"');
    expect(init?.body).toBeInstanceOf(Blob);

    const saved = await api.downloadBundle('algebra');
    expect(saved.filename).toBe('algebra.zip');
    expect(await saved.blob.text()).toBe('PK…');
  });

  it('downloads the draft as GIFT, with ?skip_unsupported=true only when asked', async () => {
    const { client, fetch } = await signedInClient(
      () =>
        new Response('$CATEGORY: Powers\n\n::p1::Question p1?{=Yes ~No}\n', {
          headers: {
            'Content-Type': 'text/plain; charset=utf-8',
            'Content-Disposition': 'attachment; filename="algebra.gift"',
            'X-Gift-Skipped': 'p2',
          },
        }),
    );
    const api = createAuthoringApi(client);
    const saved = await api.downloadGift('algebra');
    expect(fetch.mock.calls.at(-1)?.[0]).toBe('/api/authoring/courses/algebra/gift');
    expect(fetch.mock.calls.at(-1)?.[1]?.method).toBe('GET');
    expect(saved.filename).toBe('algebra.gift');
    expect(await saved.blob.text()).toBe('$CATEGORY: Powers\n\n::p1::Question p1?{=Yes ~No}\n');

    await api.downloadGift('algebra', true);
    expect(fetch.mock.calls.at(-1)?.[0]).toBe(
      '/api/authoring/courses/algebra/gift?skip_unsupported=true',
    );
  });

  it("refuses a GIFT download with the exercises GIFT cannot hold as the problem's errors", async () => {
    const errors = [
      { field: 'exercise p2', message: 'an ordering exercise: GIFT has no ordering question' },
    ];
    const { client } = await signedInClient(() =>
      problemResponse({
        type: 'urn:practica:problem:bad-request',
        title: 'Bad Request',
        status: 400,
        detail: 'the GIFT file has 1 problem',
        errors,
      }),
    );
    const failure = await createAuthoringApi(client)
      .downloadGift('algebra')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).problem.status).toBe(400);
    expect((failure as ApiError).problem.errors).toEqual(errors);
  });

  it("uploads a GIFT file's text as text/plain on the draft's revision", async () => {
    const answer = { ...draft({ revision: 4 }), gift_problems: ['algebra.gift:3: note: x'] };
    const { client, fetch } = await signedInClient(() => jsonResponse(answer));
    const api = createAuthoringApi(client);
    // A File's own type may be anything (often empty): the body is sent as text/plain.
    const file = new File(['::q::Two plus two?{#4}\n'], 'quiz.gift', { type: '' });
    const uploaded = await api.uploadGift('algebra', 3, file);
    expect(uploaded.gift_problems).toEqual(['algebra.gift:3: note: x']);
    expect(uploaded.revision).toBe(4);
    let [path, init] = fetch.mock.calls.at(-1) ?? [];
    expect(path).toBe('/api/authoring/courses/algebra/gift');
    expect(init?.method).toBe('PUT');
    const headers = init?.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('text/plain; charset=utf-8');
    expect(headers['If-Match']).toBe('"3"');
    expect(await textOf(init?.body as Blob)).toBe('::q::Two plus two?{#4}\n');

    await api.uploadGift('algebra', 4, '::t::Yes?{T}\n', true);
    [path, init] = fetch.mock.calls.at(-1) ?? [];
    expect(path).toBe('/api/authoring/courses/algebra/gift?skip_unsupported=true');
    expect(await textOf(init?.body as Blob)).toBe('::t::Yes?{T}\n');
  });

  it('refuses a bad GIFT file with its problems by line, and a stale draft as stale', async () => {
    let stale = false;
    const { client } = await signedInClient(() =>
      stale
        ? problemResponse({ type: kStaleRevision, title: 'Precondition Failed', status: 412 })
        : problemResponse({
            type: 'urn:practica:problem:bad-request',
            title: 'Bad Request',
            status: 400,
            detail: 'the GIFT file has 1 problem',
            errors: [{ field: 'algebra.gift:3', message: 'the answer block is not closed' }],
          }),
    );
    const api = createAuthoringApi(client);
    const bad = await api.uploadGift('algebra', 3, '::b::Pick one {=a ~b\n').catch((e) => e);
    expect((bad as ApiError).problem.errors).toEqual([
      { field: 'algebra.gift:3', message: 'the answer block is not closed' },
    ]);
    expect(isStaleDraft((bad as ApiError).problem)).toBe(false);
    stale = true;
    const refused = await api.uploadGift('algebra', 2, '::t::Yes?{T}\n').catch((e) => e);
    expect(isStaleDraft((refused as ApiError).problem)).toBe(true);
  });

  it('tells a stale draft (412, or 409 stale-revision) from other refusals', async () => {
    const { client } = await signedInClient(() =>
      problemResponse({
        type: 'urn:practica:problem:stale-revision',
        title: 'Precondition Failed',
        status: 412,
      }),
    );
    const failure = await createAuthoringApi(client)
      .updateCourse('algebra', 1, { title: 'x' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(isStaleDraft((failure as ApiError).problem)).toBe(true);
    expect(
      isStaleDraft({ type: 'urn:practica:problem:stale-revision', title: 'Conflict', status: 409 }),
    ).toBe(true);
    expect(isStaleDraft({ type: 'about:blank', title: 'Conflict', status: 409 })).toBe(false);
  });
});
