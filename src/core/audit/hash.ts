import { createHash } from 'node:crypto';

/** For beforeSha256 / afterSha256: the SHA-256 (hex) of a policy document's exact text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
