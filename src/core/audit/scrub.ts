/**
 * A defensive net under the allow-list: no field of an audit event may look like a secret. The
 * flows never pass secrets on purpose; this catches the accident (an error message quoting a
 * header, a justification with a key pasted in). A match refuses the whole event (fail closed).
 * Policy documents are not scrubbed (sanitize.ts): IAM unique ids and base64-like condition
 * values match these shapes, and refusing them would leave a locked policy unlockable.
 *
 * Heuristics (each documented with its false-positive trade-off):
 * - `otpauth://` anywhere: a TOTP URI carries its seed.
 * - `whsec_`: a Standard Webhooks signing secret.
 * - `-----BEGIN ... PRIVATE KEY`: a PEM private key.
 * - a run of 100+ base64 characters: AWS session tokens are several hundred base64 characters
 *   (they start `IQoJb3JpZ2luX2Vj` or `FwoGZXIvYXdz`). ARNs, ids and hashes are broken up by
 *   `:`, `-` or are shorter, so they do not match.
 * - 40 characters of [A-Za-z0-9+/] standing alone (or as a `/`-separated piece of a longer run)
 *   with at least 4 upper-case, 4 lower-case and one digit, `+` or `/`: the shape of an AWS
 *   secret access key.
 *   Hex digests (lower-case only) do not match; a 40-character mixed-case path segment can
 *   (accepted: it refuses the event with a clear message rather than risk a key).
 * - a run of 16+ characters of base32 [A-Z2-7] with at least two digits and one letter G–Z:
 *   a TOTP seed. The G–Z letter keeps upper-case hex request ids (S3) from matching.
 * Access key ids (AKIA/ASIA...) are identifiers that CloudTrail itself records and are allowed.
 */
export function secretLike(value: string): string | undefined {
  if (/otpauth:\/\//i.test(value)) return 'an otpauth:// URI';
  if (value.includes('whsec_')) return 'a webhook signing secret';
  if (/-----BEGIN [A-Z ]*PRIVATE KEY/.test(value)) return 'a private key';
  if (/[A-Za-z0-9+/=]{100,}/.test(value)) return 'a session token';
  for (const run of value.match(/[A-Za-z0-9+/]{40,}/g) ?? []) {
    if (keyCandidates(run).some(looksLikeSecretKey)) return 'an AWS secret access key';
  }
  for (const run of value.match(/[A-Z2-7]{16,}/g) ?? []) {
    if (/[2-7].*[2-7]/.test(run) && /[G-Z]/.test(run)) return 'a TOTP seed';
  }
  return undefined;
}

/**
 * 40-character pieces of a run that start at its beginning or just after a `/`, and end at its
 * end or just before a `/`: a key quoted as a path segment (`.../role/x/<key>`) is found too.
 */
function keyCandidates(run: string): string[] {
  const starts = [0, ...[...run.matchAll(/\//g)].map((m) => m.index! + 1)];
  return starts
    .map((start) => run.slice(start, start + 40))
    .filter((piece, i) => piece.length === 40 && (starts[i]! + 40 === run.length || run[starts[i]! + 40] === '/'));
}

function looksLikeSecretKey(run: string): boolean {
  const count = (re: RegExp) => run.match(re)?.length ?? 0;
  return count(/[A-Z]/g) >= 4 && count(/[a-z]/g) >= 4 && count(/[0-9+/]/g) >= 1;
}
