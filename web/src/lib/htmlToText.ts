/**
 * The plain text of an HTML fragment, for places that cannot hold markup (option elements,
 * aria-label). Parsed in an inert template, so nothing loads or runs.
 */
export function htmlToText(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  return (template.content.textContent ?? '').replace(/\s+/g, ' ').trim();
}
