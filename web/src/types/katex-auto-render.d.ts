// KaTeX ships no types for its auto-render extension; this covers the part the app uses.
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
