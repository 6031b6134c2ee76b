import { useEffect } from 'react';

const kSiteName = 'Practica';

/** Sets the tab title to "<title> · Practica" (or just the site name) while the caller is shown. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · ${kSiteName}` : kSiteName;
  }, [title]);
}
