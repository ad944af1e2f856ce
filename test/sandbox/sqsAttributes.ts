// SQS queue attributes: defaults of a new standard queue, which ones SetQueueAttributes accepts,
// their value ranges, and how GetQueueAttributes reports them (all values are strings).
import type { QueueRec } from './state';

export const DEFAULT_QUEUE_ATTRIBUTES: Readonly<Record<string, string>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const FREE_TEXT = new Set(['RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const READ_ONLY = new Set([
  'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn', 'FifoQueue',
]);

export const READABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'All', 'Policy', 'SqsManagedSseEnabled', ...Object.keys(RANGES), ...FREE_TEXT, ...FIFO_ONLY, ...READ_ONLY,
]);

export type AttributeProblem = { code: 'InvalidAttributeName' | 'InvalidAttributeValue'; message: string };

/** Why SetQueueAttributes would reject this (name, value) — Policy is checked by its own parser. */
export function attributeProblem(name: string, value: string, fifo: boolean): AttributeProblem | undefined {
  if (READ_ONLY.has(name) || !READABLE_ATTRIBUTES.has(name) || name === 'All' || (FIFO_ONLY.has(name) && !fifo)) {
    return { code: 'InvalidAttributeName', message: `Unknown Attribute ${name}.` };
  }
  const range = RANGES[name];
  if (range) {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < range[0] || n > range[1]) {
      return { code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.` };
    }
  }
  if (name === 'SqsManagedSseEnabled' && value !== 'true' && value !== 'false') {
    return { code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.` };
  }
  if ((name === 'RedrivePolicy' || name === 'RedriveAllowPolicy') && value !== '') {
    try {
      JSON.parse(value);
    } catch {
      return { code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.` };
    }
  }
  return undefined;
}

function epochSeconds(d: Date): string {
  return String(Math.floor(d.getTime() / 1000));
}

/** Every attribute the queue has, as GetQueueAttributes(All) reports it. */
export function allAttributes(q: QueueRec): Record<string, string> {
  const out: Record<string, string> = {
    QueueArn: q.arn,
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '0',
    CreatedTimestamp: epochSeconds(q.created),
    LastModifiedTimestamp: epochSeconds(q.modified),
    ...q.attributes,
  };
  if (q.policy) out.Policy = q.policy.text;
  if (q.name.endsWith('.fifo')) out.FifoQueue = 'true';
  return out;
}
