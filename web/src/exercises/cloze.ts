/** Gap n (1-based) in a cloze prompt: `{{n}}`. */
const kGapPattern = /\{\{\s*(\d+)\s*\}\}/g;

export interface MarkedCloze {
  /** The prompt with each known gap replaced by `<span class="cloze-gap" data-gap="n">`. */
  html: string;
  /** Gap numbers in the order they appear in the prompt. */
  placed: number[];
  /** Gap numbers (1..gapCount) that the prompt never mentions, in ascending order. */
  missing: number[];
}

/**
 * Finds the gaps of a cloze prompt. Markers naming a gap the exercise does not have, and second
 * markers for the same gap, are left as text: each gap has exactly one input.
 */
export function markClozeGaps(promptHtml: string, gapCount: number): MarkedCloze {
  const placed: number[] = [];
  const html = promptHtml.replace(kGapPattern, (marker, digits: string) => {
    const gap = Number(digits);
    if (gap < 1 || gap > gapCount || placed.includes(gap)) return marker;
    placed.push(gap);
    return `<span class="cloze-gap" data-gap="${gap}"></span>`;
  });
  const missing: number[] = [];
  for (let gap = 1; gap <= gapCount; gap++) if (!placed.includes(gap)) missing.push(gap);
  return { html, placed, missing };
}
