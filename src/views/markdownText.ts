import { escapeControls } from '../core/quote';

/**
 * Text from AWS (account names and emails, OU names, error messages) made safe for a Markdown
 * tooltip: every ASCII punctuation character is backslash-escaped, which CommonMark renders as
 * the character itself, so no image, link, autolink (`https://…`, `www.…`, `a@b.c`), HTML or
 * emphasis can be formed from it, and a hover never fetches anything. Control and bidirectional
 * characters are shown as `\uXXXX` so a name cannot reorder or hide the text around it.
 */
export function mdText(text: string): string {
  return escapeControls(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** For plain-text tooltips and labels: the same visible escapes, no Markdown. */
export function plainText(text: string): string {
  return escapeControls(text);
}
