// Loaded on demand by typeset.ts: KaTeX, its extensions and its stylesheet form a separate
// chunk, so pages without maths never download them.
import renderMathInElement from 'katex/contrib/auto-render';
import renderA11yString from 'katex/contrib/render-a11y-string';
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
  nameFormulas(element);
}

/**
 * Gives each formula's MathML a spoken name ("x squared"). Screen readers without MathML
 * support read it, and it names controls whose label is only a formula (an option "$2$"):
 * accessible-name computation does not look inside <math>.
 */
function nameFormulas(element: HTMLElement): void {
  for (const math of element.querySelectorAll<Element>('.katex-mathml > math:not([aria-label])')) {
    const tex = math.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? '';
    if (tex === '') continue;
    let spoken: string;
    try {
      spoken = renderA11yString(tex);
    } catch {
      spoken = tex; // a command the speech extension does not know: the source is the best name
    }
    math.setAttribute('aria-label', spoken);
  }
}
