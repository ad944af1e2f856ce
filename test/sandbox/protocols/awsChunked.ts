// aws-chunked bodies (x-amz-content-sha256: STREAMING-…): S3 clients that stream a payload send
// `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n … 0[;chunk-signature=…]\r\n[trailers]\r\n`.
// Decodes the payload, verifies each chunk signature for signed variants (each signs the previous
// one, starting from the request's seed signature) and returns the trailing headers.
import { createHash, createHmac } from 'node:crypto';
import { ApiError } from '../errors';

export interface ChunkSigning {
  /** The request's own (seed) signature. */
  seedSignature: string;
  amzDate: string;
  scope: string; // date/region/service/aws4_request
  secret: string;
}

export interface Decoded {
  payload: Buffer;
  trailers: Record<string, string>;
}

const EMPTY = createHash('sha256').digest('hex');

function signingKey(secret: string, scope: string): Buffer {
  let key: Buffer = Buffer.from(`AWS4${secret}`);
  for (const part of scope.split('/')) key = createHmac('sha256', key).update(part).digest();
  return key;
}

function malformed(): ApiError {
  return new ApiError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

export function decodeAwsChunked(body: Buffer, signing?: ChunkSigning): Decoded {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  const key = signing && signingKey(signing.secret, signing.scope);
  let previous = signing?.seedSignature ?? '';
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw malformed();
    const [sizeHex, ...ext] = body.subarray(pos, eol).toString('latin1').split(';');
    const size = parseInt(sizeHex ?? '', 16);
    if (Number.isNaN(size)) throw malformed();
    const data = body.subarray(eol + 2, eol + 2 + size);
    if (data.length !== size) throw malformed();
    if (key && signing) {
      const sig = ext.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, previous, EMPTY, createHash('sha256').update(data).digest('hex')].join('\n');
      const expected = createHmac('sha256', key).update(toSign).digest('hex');
      if (sig !== expected) {
        throw new ApiError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 403);
      }
      previous = expected;
    }
    chunks.push(data);
    pos = eol + 2 + size;
    if (size === 0) break;
    if (body.toString('latin1', pos, pos + 2) !== '\r\n') throw malformed();
    pos += 2;
  }
  for (const line of body.subarray(pos).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(chunks), trailers };
}
