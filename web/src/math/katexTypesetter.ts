// Loaded on demand by typeset.ts: KaTeX, its auto-render extension and its stylesheet form a
// separate chunk, so pages without maths never download them.
import renderMathInElement from 'katex/contrib/auto-render';
import 'katex/dist/katex.min.css';
import { kMathIgnoredClasses } from './typeset';

export function typesetElement(element: HTMLElement): void {
  renderMathInElement(element, {
    // `$$` must come before `$` so display maths is not read as two empty inline formulas.
    delimiters: [
      { left: '$$', right: '$$', display: true },
      { left: '$', right: '$', display: false },
      { left: '\\(', right: '\\)', display: false },
      { left: '\\[', right: '\\]', display: true },
    ],
    ignoredClasses: [...kMathIgnoredClasses],
    throwOnError: false,
    // Malformed TeX stays visible as source text; nothing to report to the learner.
    errorCallback: () => {},
  });
}
