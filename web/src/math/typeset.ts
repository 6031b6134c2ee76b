/**
 * Elements whose content React owns (exercise slots, cloze gaps): typesetting skips them, since
 * each exercise typesets its own text and rewriting React's nodes would break it.
 */
export const kMathIgnoredClasses = ['exercise-slot', 'cloze-gap'] as const;

type Typesetter = typeof import('./katexTypesetter');
let typesetter: Promise<Typesetter> | null = null;

/** True when the text has a maths delimiter, i.e. when loading KaTeX may be worth it. */
export function mayContainMath(text: string): boolean {
  return text.includes('$') || text.includes('\\(') || text.includes('\\[');
}

/**
 * Renders the `$…$`, `$$…$$`, `\(…\)` and `\[…\]` maths inside `element` with KaTeX, loading it
 * the first time it is needed. Never rejects: if KaTeX cannot load, the TeX source stays as text.
 */
export async function typesetMath(element: HTMLElement): Promise<void> {
  if (!mayContainMath(element.textContent ?? '')) return;
  typesetter ??= import('./katexTypesetter');
  try {
    const { typesetElement } = await typesetter;
    if (element.isConnected) typesetElement(element);
  } catch {
    typesetter = null; // let a later call try the download again
  }
}
