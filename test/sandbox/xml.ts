// Minimal XML writing for the query and REST-XML protocols: string building, escaped text.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

const SPECIAL = /[&<>"'\r]/;

export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!) : text;
}

/** `<name>text</name>` with the text escaped; nothing when the value is absent. */
export function tag(name: string, value: string | number | boolean | Date | undefined | null): string {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? isoSeconds(value) : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name>…</name>` around already-built XML. */
export function wrap(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** A query-protocol list: `<name><member>…</member>…</name>`. */
export function memberList<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return wrap(name, items.map((i) => wrap('member', render(i))).join(''));
}

/** ISO 8601 in UTC without milliseconds, as AWS's XML timestamps look. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
