// Google Authenticator's export (`otpauth-migration://offline?data=...`): base64 of a protobuf
// `MigrationPayload` whose published schema is
//   message MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//     int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
//   message OtpParameters { bytes secret = 1; string name = 2; string issuer = 3;
//     Algorithm algorithm = 4; DigitCount digits = 5; OtpType type = 6; int64 counter = 7; }
//   enum Algorithm { UNSPECIFIED = 0; SHA1 = 1; SHA256 = 2; SHA512 = 3; MD5 = 4; }
//   enum DigitCount { UNSPECIFIED = 0; SIX = 1; EIGHT = 2; }
//   enum OtpType { UNSPECIFIED = 0; HOTP = 1; TOTP = 2; }
// A fixed schema of two messages, so a small protobuf reader instead of a library. Errors never
// quote the payload: it carries the seeds.
import { UserError } from '../errors';

export interface MigrationEntry {
  secret: Uint8Array;
  name: string;
  issuer: string;
  /** 'unspecified' is SHA1 for Google Authenticator. */
  algorithm: 'sha1' | 'sha256' | 'sha512' | 'md5' | 'unspecified';
  /** 6 when unspecified. */
  digits: number;
  type: 'totp' | 'hotp' | 'unspecified';
}

export interface MigrationBatch {
  entries: MigrationEntry[];
  /** Which part of a multi-QR export this is (1-based) and how many there are. */
  batchIndex: number;
  batchSize: number;
}

const ALGORITHMS = ['unspecified', 'sha1', 'sha256', 'sha512', 'md5'] as const;
const TYPES = ['unspecified', 'hotp', 'totp'] as const;

function corrupt(): UserError {
  return new UserError('The otpauth-migration export is damaged: its data is not a valid Google Authenticator payload.');
}

/** A protobuf wire-format reader over one message's bytes. */
class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.bytes.length) throw corrupt();
      const b = this.bytes[this.at++]!;
      // Only values up to 2^53 matter here (field numbers, enums, lengths); larger ones are skipped.
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return value;
    }
    throw corrupt();
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    if (this.at + length > this.bytes.length) throw corrupt();
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.bytesField();
    else if (wireType === 5) this.advance(4);
    else throw corrupt();
  }

  private advance(n: number): void {
    if (this.at + n > this.bytes.length) throw corrupt();
    this.at += n;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw corrupt();
  }
}

function readEntry(bytes: Uint8Array): MigrationEntry {
  const r = new Reader(bytes);
  const entry: MigrationEntry = { secret: new Uint8Array(), name: '', issuer: '', algorithm: 'unspecified', digits: 6, type: 'unspecified' };
  while (!r.done) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 1 && wire === 2) entry.secret = Uint8Array.from(r.bytesField());
    else if (field === 2 && wire === 2) entry.name = text(r.bytesField());
    else if (field === 3 && wire === 2) entry.issuer = text(r.bytesField());
    else if (field === 4 && wire === 0) entry.algorithm = ALGORITHMS[r.varint()] ?? 'unspecified';
    else if (field === 5 && wire === 0) entry.digits = r.varint() === 2 ? 8 : 6;
    else if (field === 6 && wire === 0) entry.type = TYPES[r.varint()] ?? 'unspecified';
    else r.skip(wire);
  }
  return entry;
}

/** Decodes the protobuf bytes of a MigrationPayload. */
export function decodeMigrationPayload(bytes: Uint8Array): MigrationBatch {
  const r = new Reader(bytes);
  const batch: MigrationBatch = { entries: [], batchIndex: 1, batchSize: 1 };
  while (!r.done) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 1 && wire === 2) batch.entries.push(readEntry(r.bytesField()));
    else if (field === 3 && wire === 0) batch.batchSize = r.varint();
    else if (field === 4 && wire === 0) batch.batchIndex = r.varint() + 1;
    else r.skip(wire);
  }
  return batch;
}

/** Decodes an `otpauth-migration://offline?data=...` URI. */
export function decodeMigrationUri(uri: string): MigrationBatch {
  const m = /^otpauth-migration:\/\/offline\/?\?(.*)$/is.exec(uri.trim());
  if (!m) throw new UserError('Not an otpauth-migration export: expected otpauth-migration://offline?data=...');
  const data = new URLSearchParams(m[1]).get('data');
  if (!data) throw new UserError('The otpauth-migration export has no data parameter.');
  // Base64 (a "+" may arrive as a space when the URI was not percent-encoded).
  const b64 = data.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw corrupt();
  return decodeMigrationPayload(Buffer.from(b64, 'base64'));
}
