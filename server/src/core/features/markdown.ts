// Escaping corpus text for Markdown shown by the editor (hover, completion documentation, entity cards). Every
// Markdown-significant ASCII punctuation mark is backslash-escaped and `<`, `>`, `&` become entities, so no corpus
// or overlay string can form a link (least of all a `command:` link), an image, raw HTML, emphasis or a code span.
// Line breaks become spaces so a string cannot open a block of its own. The only links the server writes are
// `https:` source addresses, checked by `safeHttpsUrl`.

export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~:"'=$%^,;?@/]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Lighter escaping for short identifiers and dates (same rules; kept for readability at call sites). */
export const md = escapeMarkdown;

/** An `https:` URL safe to put in a Markdown link destination, or undefined. */
export function safeHttpsUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  // Percent-encode what could close the destination or start markup.
  return parsed.href.replace(/[()<>\s"'`\\[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Shorten long text on a word boundary. */
export function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.lastIndexOf(' ', max - 1);
  return `${t.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}
