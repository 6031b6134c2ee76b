import { describe, expect, it } from 'vitest';
import { jsonResponse, problemResponse } from '../test/accounts';
import { draft } from '../test/authoring';
import { signedInClient } from '../test/learning';
import { createAuthoringApi, isStaleDraft } from './authoring';
import { ApiError } from './client';

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
