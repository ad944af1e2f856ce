import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with the secret's base64-decoded key,
 * sent as `v1,<base64>`. Several signatures are space-separated: during a secret rotation the
 * batch is signed with the current and the previous secret, so a receiver that knows either one
 * accepts it.
 */
export const SECRET_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** The HMAC key of a `whsec_<base64>` secret (prefix optional, as in the reference libraries). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.trim().startsWith(SECRET_PREFIX) ? secret.trim().slice(SECRET_PREFIX.length) : secret.trim();
  // The message never quotes the secret.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('The signing secret must be "whsec_" followed by base64.');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new Error(`The signing secret must decode to ${MIN_KEY_BYTES}–${MAX_KEY_BYTES} bytes.`);
  }
  return key;
}

export function signature(key: Buffer, id: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one delivery attempt. */
export function webhookHeaders(id: string, timestamp: number, body: string | Buffer, secrets: readonly string[]): Record<string, string> {
  if (!secrets.length) throw new Error('No signing secret is set.');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signature(secretKey(s), id, timestamp, body)).join(' '),
  };
}
