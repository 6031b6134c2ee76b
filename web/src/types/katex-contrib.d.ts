// KaTeX ships no types for its contrib extensions; these cover the parts the app uses.
declare module 'katex/contrib/auto-render' {
  import type { KatexOptions } from 'katex';

  export interface MathDelimiter {
    left: string;
    right: string;
    display: boolean;
  }

  export interface RenderMathInElementOptions extends KatexOptions {
    delimiters?: MathDelimiter[];
    ignoredTags?: string[];
    ignoredClasses?: string[];
    errorCallback?: (message: string, error: Error) => void;
    preProcess?: (math: string) => string;
  }

  export default function renderMathInElement(
    element: HTMLElement,
    options?: RenderMathInElementOptions,
  ): void;
}

// KaTeX's speech-text extension: TeX in, words a screen reader can say out.
declare module 'katex/contrib/render-a11y-string' {
  export default function renderA11yString(tex: string, settings?: object): string;
}
