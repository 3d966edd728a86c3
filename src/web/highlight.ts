/**
 * Turning engine highlights into HTML. Record text is untrusted (it comes from harvested
 * sources), so it is escaped FIRST and only then are the engine's sentinel characters turned
 * into <mark> elements: no order of operations lets record content produce markup.
 */
import { unmarked } from '../search/result-rules';
import { HIGHLIGHT_END, HIGHLIGHT_START, type MarkedText } from '../search/types';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Removes the sentinels, leaving the plain text (for <title>, alt text, JSON `title` …). */
export const stripHighlight: (marked: MarkedText) => string = unmarked;

/**
 * MarkedText → safe HTML. Marks never nest and are always closed: a start inside an open mark
 * and an end without a start are dropped, an unclosed start is dropped, and empty marks are
 * not emitted. Sentinels never reach the output.
 */
export function renderHighlight(marked: MarkedText): string {
  // Split on the sentinels, keeping them, so each piece is either a sentinel or plain text.
  const pieces = marked.split(/([\u0001\u0002])/);
  const out: string[] = [];
  let open = false;
  let markText = '';
  for (const piece of pieces) {
    if (piece === HIGHLIGHT_START) {
      // A second start inside an open mark is treated as part of the same mark.
      open = true;
    } else if (piece === HIGHLIGHT_END) {
      if (open && markText !== '') out.push(`<mark>${escapeHtml(markText)}</mark>`);
      open = false;
      markText = '';
    } else if (open) {
      markText += piece;
    } else {
      out.push(escapeHtml(piece));
    }
  }
  // An unclosed mark: keep its text, drop the mark.
  if (open) out.push(escapeHtml(markText));
  return out.join('');
}
