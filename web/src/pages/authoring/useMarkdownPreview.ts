import { useEffect, useRef, useState } from 'react';
import type { AuthoringApi } from '../../api/authoring';
import { isAbort } from '../../api/client';

/** How long typing must pause before the preview is asked for. */
export const kPreviewDelayMs = 400;

export interface MarkdownPreview {
  /** The HTML of each text, in order: while a changed text waits, what its place showed before
   * (so the preview does not flicker); null before anything came. */
  html: (string | null)[];
  /** Waiting for the pause in typing, or for the server. */
  pending: boolean;
  /** Why the last preview failed. */
  problem: string | null;
}

/**
 * Server-rendered HTML for Markdown texts as they are typed (a lesson's text blocks): asked once
 * typing pauses, only for texts not rendered before, so a change to one block re-renders that
 * block alone. The server renders as import stores it; maths is left for KaTeX (RichHtml).
 */
export function useMarkdownPreview(
  api: Pick<AuthoringApi, 'preview'>,
  texts: readonly string[],
  delayMs = kPreviewDelayMs,
): MarkdownPreview {
  const cache = useRef(new Map<string, string>());
  const shown = useRef<(string | null)[]>([]);
  const [, setRendered] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const missing = texts.filter((text) => !cache.current.has(text));
  const key = JSON.stringify(missing);

  useEffect(() => {
    if (missing.length === 0) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      Promise.all(
        [...new Set(missing)].map(async (text) => {
          const html = await api.preview(text, false, controller.signal);
          cache.current.set(text, html);
        }),
      ).then(
        () => {
          setProblem(null);
          setRendered((n) => n + 1);
        },
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          setProblem(
            'The preview could not be rendered just now; it will be tried again as you type.',
          );
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` is the texts still to render.
  }, [key]);

  const html = texts.map((text, index) => cache.current.get(text) ?? shown.current[index] ?? null);
  shown.current = html;
  return {
    html,
    pending: missing.length > 0,
    problem,
  };
}
