import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomUuid } from './uuid';

const kUuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuid', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('gives a different version 4 UUID each time', () => {
    const first = randomUuid();
    expect(first).toMatch(kUuidV4);
    expect(randomUuid()).not.toBe(first);
  });

  it('makes one from random bytes where randomUUID is missing (plain HTTP)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', {
      getRandomValues: <T extends ArrayBufferView>(array: T) => real.getRandomValues(array),
    });
    expect(randomUuid()).toMatch(kUuidV4);
  });
});
