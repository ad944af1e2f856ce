// What an import offers: the tokens in pasted text or a decoded QR code — `otpauth://totp/` URIs
// and Google Authenticator's `otpauth-migration://` export — each with a label to add it under,
// or the reason it cannot be added. Secrets stay in these objects only until they are added.
import { UserError, describeError } from '../errors';
import { MAX_LABEL_LENGTH } from './input';
import { decodeMigrationUri, type MigrationEntry } from './migration';
import { parseSecretInput } from './secret';
import type { AddTokenInput, TokenMeta } from './types';

export interface ImportCandidate {
  /** The name the source gives (`Issuer:account`), shown in the pick. */
  name: string;
  issuer?: string;
  /** What to add (label chosen against the existing tokens), or why it cannot be. */
  input?: AddTokenInput;
  skipped?: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (the store's format). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A label the store accepts, unique (case-insensitively) among `taken`. */
function labelFor(name: string, taken: Set<string>): string {
  const base = name.replace(/[^\p{L}\p{N} ._:@+/()#-]+/gu, '-').replace(/\s+/g, ' ').trim().slice(0, MAX_LABEL_LENGTH - 4) || 'imported';
  let label = base;
  for (let n = 2; taken.has(label.toLowerCase()); n++) label = `${base} (${n})`;
  taken.add(label.toLowerCase());
  return label;
}

function displayName(name: string, issuer: string | undefined): string {
  if (!issuer || name.toLowerCase().startsWith(`${issuer.toLowerCase()}:`)) return name || issuer || 'token';
  return name ? `${issuer}:${name}` : issuer;
}

function fromMigration(e: MigrationEntry): Omit<ImportCandidate, 'input'> & { secret?: Omit<AddTokenInput, 'label'> } {
  const name = displayName(e.name, e.issuer || undefined);
  const issuer = e.issuer || undefined;
  if (e.type === 'hotp') return { name, issuer, skipped: 'counter-based (HOTP); only time-based tokens are supported' };
  if (e.algorithm === 'md5') return { name, issuer, skipped: 'MD5 is not a TOTP algorithm this extension supports' };
  if (!e.secret.length) return { name, issuer, skipped: 'the export has no secret for it' };
  const algorithm = e.algorithm === 'unspecified' ? 'sha1' : e.algorithm;
  // The export has no period: Google Authenticator's codes are 30-second ones.
  return { name, issuer, secret: { secret: base32Encode(e.secret), algorithm, digits: e.digits, period: 30 } };
}

/**
 * The tokens in `text`: one URI per line (a QR code holds one). Labels avoid the existing
 * tokens' and each other's. Throws a UserError when nothing in the text is a token URI.
 */
export function importCandidates(text: string, existing: readonly TokenMeta[]): ImportCandidate[] {
  const taken = new Set(existing.map((t) => t.label.toLowerCase()));
  const out: ImportCandidate[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    if (/^otpauth-migration:/i.test(line)) {
      const batch = decodeMigrationUri(line);
      for (const e of batch.entries) {
        const { secret, ...rest } = fromMigration(e);
        out.push(secret ? { ...rest, input: { ...secret, label: labelFor(rest.name, taken) } } : rest);
      }
    } else if (/^otpauth:/i.test(line)) {
      try {
        const parsed = parseSecretInput(line);
        const name = displayName(parsed.uriLabel ?? '', parsed.issuer);
        out.push({
          name, issuer: parsed.issuer,
          input: { label: labelFor(name, taken), secret: parsed.base32, ...parsed.params },
        });
      } catch (err) {
        out.push({ name: 'otpauth URI', skipped: describeError(err) });
      }
    }
  }
  if (!out.length) {
    throw new UserError('No TOTP token found: expected an otpauth://totp/ URI or an otpauth-migration:// export (Google Authenticator).');
  }
  return out;
}
