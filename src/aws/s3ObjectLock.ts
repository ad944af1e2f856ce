import { createHash } from 'node:crypto';
import { GetObjectLockConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { BatchDestination, DestinationResult } from '../core/audit/delivery';
import type { AwsContext } from './context';

export interface ObjectLockTarget {
  bucket: string;
  /** Key prefix, e.g. "root-tasks/audit/" (may be empty). */
  prefix: string;
  mode: 'COMPLIANCE' | 'GOVERNANCE';
  retentionDays: number;
}

/** One batch's key: by sequence range, zero-padded so the keys sort in chain order. */
export function batchKey(prefix: string, firstSeq: number, lastSeq: number, format: 'native' | 'ocsf'): string {
  const pad = (n: number) => String(n).padStart(12, '0');
  return `${prefix}${pad(firstSeq)}-${pad(lastSeq)}.${format === 'ocsf' ? 'ocsf.' : ''}jsonl`;
}

/**
 * The audit trail's S3 destination with Object Lock: one object per delivered batch (JSON lines,
 * keyed by its sequence range), each put with Object Lock retention (mode and days from the
 * settings) and integrity checksums (Content-MD5 and x-amz-checksum-sha256; Object Lock puts require one),
 * with the operator's own credentials. The bucket must have Object Lock: without it every batch
 * fails with that reason (shown by the status bar and Check Setup), never silently accepted. A
 * batch sent again (after a failure) is a new version of the same key: both are retained.
 */
export function objectLockDestination(aws: AwsContext, target: ObjectLockTarget, format: 'native' | 'ocsf'): BatchDestination {
  let lockChecked = false;
  return {
    async send(batch, signal): Promise<DestinationResult> {
      const s3 = aws.management.s3;
      try {
        if (!lockChecked) {
          const config = await aws.limiter.run(() => s3.send(new GetObjectLockConfigurationCommand({ Bucket: target.bucket }), { abortSignal: signal }));
          if (config.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled') return noLock(target);
          lockChecked = true;
        }
        const body = Buffer.from(`${batch.formatted.join('\n')}\n`, 'utf8');
        const key = batchKey(target.prefix, batch.events[0]!.seq, batch.events.at(-1)!.seq, format);
        const retainUntil = new Date(Date.now() + target.retentionDays * 86_400_000);
        await aws.limiter.run(() => s3.send(new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/x-ndjson',
          // Both integrity headers: Object Lock puts require Content-MD5 or a checksum, and some
          // S3-compatible endpoints accept only Content-MD5.
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
          ObjectLockMode: target.mode,
          ObjectLockRetainUntilDate: retainUntil,
        }), { abortSignal: signal }));
        return { kind: 'acked' };
      } catch (err) {
        const name = err instanceof Error ? err.name : 'Error';
        if (name === 'ObjectLockConfigurationNotFoundError') return noLock(target);
        return { kind: 'failed', reason: `S3 ${target.bucket}: ${name}: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}

function noLock(target: ObjectLockTarget): DestinationResult {
  return { kind: 'failed', reason: `S3 bucket ${target.bucket} has no Object Lock: audit batches are not written to a bucket that could delete them (create it with Object Lock enabled)` };
}
