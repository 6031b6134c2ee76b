import { describe, expect, it } from 'vitest';
import { markClozeGaps } from './cloze';

describe('markClozeGaps', () => {
  it('replaces each gap marker with a placeholder and reports the order', () => {
    const marked = markClozeGaps('<p>{{2}} comes after {{1}}.</p>', 2);
    expect(marked.html).toBe(
      '<p><span class="cloze-gap" data-gap="2"></span> comes after ' +
        '<span class="cloze-gap" data-gap="1"></span>.</p>',
    );
    expect(marked.placed).toEqual([2, 1]);
    expect(marked.missing).toEqual([]);
  });

  it('leaves unknown and repeated markers as text and lists gaps with no marker', () => {
    const marked = markClozeGaps('<p>{{1}} {{1}} {{4}} {{0}}</p>', 3);
    expect(marked.html).toBe(
      '<p><span class="cloze-gap" data-gap="1"></span> {{1}} {{4}} {{0}}</p>',
    );
    expect(marked.placed).toEqual([1]);
    expect(marked.missing).toEqual([2, 3]);
  });

  it('accepts spaces inside the braces', () => {
    expect(markClozeGaps('{{ 1 }}', 1).placed).toEqual([1]);
  });
});
