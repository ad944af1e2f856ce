/**
 * Quotes text a person or AWS supplied for a message or an audit field: control characters,
 * line and paragraph separators and bidirectional controls become visible `\uXXXX` escapes, so
 * the quote is always one printable line (a ticket with a NUL, an account id ending in a newline,
 * a name that reorders the text around it) and the message that carries it can be recorded.
 */
export function quote(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `"${escapeControls(shown)}"`;
}

/** Control characters (C0, DEL, C1), U+2028/2029 and bidi controls as `\uXXXX`; everything else kept. */
export function escapeControls(text: string, keep: RegExp = NOTHING): string {
  return text.replace(UNSAFE, (c) => (keep.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Whether text holds any character escapeControls would escape. */
export function hasControls(text: string): boolean {
  return new RegExp(UNSAFE.source).test(text);
}

const NOTHING = /(?!)/;
// C0 and C1 controls, DEL, line/paragraph separators, and the bidirectional formatting characters
// (LRM/RLM, ALM, LRE…RLO, LRI…PDI) that make text display in another order than it is stored.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
