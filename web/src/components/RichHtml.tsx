import { createElement, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { typesetMath } from '../math/typeset';

export interface HtmlSlots {
  /** CSS selector of the placeholder elements inside the HTML. */
  selector: string;
  /** What React renders into one placeholder; null leaves it empty. */
  render: (placeholder: HTMLElement) => { key: string; node: ReactNode } | null;
}

export interface RichHtmlProps {
  /** Trusted HTML rendered by the server (raw HTML in Markdown is disabled there). */
  html: string;
  as?: 'div' | 'span';
  className?: string;
  id?: string;
  slots?: HtmlSlots;
}

/**
 * Server-rendered HTML with its maths typeset, and optionally React components placed into
 * placeholder elements of that HTML (through portals, so placeholders may sit anywhere, even
 * inside lists or paragraphs).
 */
export function RichHtml({ html, as = 'div', className, id, slots }: RichHtmlProps) {
  const ref = useRef<HTMLElement>(null);
  const [placeholders, setPlaceholders] = useState<HTMLElement[]>([]);
  const selector = slots?.selector;

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setPlaceholders(selector ? Array.from(element.querySelectorAll<HTMLElement>(selector)) : []);
    void typesetMath(element);
  }, [html, selector]);

  const portals: ReactNode[] = [];
  if (slots) {
    for (const placeholder of placeholders) {
      if (!placeholder.isConnected) continue;
      const content = slots.render(placeholder);
      if (content) portals.push(createPortal(content.node, placeholder, content.key));
    }
  }

  return (
    <>
      {createElement(as, { ref, className, id, dangerouslySetInnerHTML: { __html: html } })}
      {portals}
    </>
  );
}
