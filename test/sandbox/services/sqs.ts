// SQS (JSON 1.0 with query-compatible errors): ListQueues, GetQueueUrl, Get/SetQueueAttributes.
// Queue URLs are <endpoint>/<account>/<queue>; the queue's region is the request's region.
// `SetQueueAttributes(Policy = "")` removes the policy. Queue policies are enforced; the owning
// account's root may read and set attributes whatever the policy denies (as for S3 bucket policies).
import { requireAllowed } from '../authz';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { PolicyError } from '../policyDocument';
import type { JsonHandler, JsonInput } from '../protocols/json';
import { parseQueuePolicy } from '../resourcePolicies';
import { allAttributes, attributeProblem, READABLE_ATTRIBUTES } from '../sqsAttributes';
import type { QueueRec } from '../state';

export const SQS_TARGET = 'AmazonSQS';

/** SQS's own errors: JSON `__type` com.amazonaws.sqs#Name, query code and status from the model. */
const QUERY_CODES: Record<string, [string, number]> = {
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  InvalidAddress: ['InvalidAddress', 404],
  InvalidAttributeName: ['InvalidAttributeName', 400],
  InvalidAttributeValue: ['InvalidAttributeValue', 400],
};

function sqsError(name: string, message: string): ApiError {
  const [queryCode, status] = QUERY_CODES[name] ?? [name, 400];
  return new ApiError(`com.amazonaws.sqs#${name}`, message, status, { queryCode });
}

function invalidParameter(message: string): ApiError {
  return new ApiError('com.amazon.coral.validate#ValidationException', message, 400, { queryCode: 'InvalidParameterValue' });
}

function stringField(input: JsonInput, name: string, required: boolean): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw new ApiError('com.amazon.coral.validate#ValidationException', `Value null at '${name}' failed to satisfy constraint: Member must not be null`, 400, { queryCode: 'MissingParameter' });
    return undefined;
  }
  if (typeof v !== 'string') throw invalidParameter(`Value for parameter ${name} is invalid.`);
  return v;
}

function queueUrl(ctx: CallContext, q: QueueRec): string {
  return `${ctx.runtime.endpoint()}/${q.accountId}/${q.name}`;
}

/** The queue a QueueUrl names (any host; the path is /<account>/<queue>), authorized for `action`. */
function queueFor(ctx: CallContext, input: JsonInput, action: string): QueueRec {
  const url = stringField(input, 'QueueUrl', true)!;
  let segments: string[];
  try {
    segments = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    segments = [];
  }
  if (segments.length !== 2 || !/^\d{12}$/.test(segments[0]!)) throw sqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  const [accountId, name] = segments as [string, string];
  return authorizedQueue(ctx, accountId, name, action);
}

function authorizedQueue(ctx: CallContext, accountId: string, name: string, action: string): QueueRec {
  const arn = `arn:aws:sqs:${ctx.region}:${accountId}:${name}`;
  ctx.target = arn;
  const queue = ctx.state.queue(accountId, ctx.region, name);
  if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  requireAllowed(ctx, { action, resource: arn, resourceAccount: accountId, resourcePolicy: queue.policy?.parsed, rootBypass: true });
  return queue;
}

const listQueues: JsonHandler = (ctx, input) => {
  const accountId = ctx.caller.principal.accountId;
  ctx.target = `arn:aws:sqs:${ctx.region}:${accountId}:*`;
  requireAllowed(ctx, { action: 'sqs:ListQueues', resource: ctx.target, resourceAccount: accountId });
  const prefix = stringField(input, 'QueueNamePrefix', false) ?? '';
  const max = input.MaxResults;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000)) {
    throw invalidParameter('Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.');
  }
  const queues = [...(ctx.state.account(accountId)?.queues.values() ?? [])]
    .filter((q) => q.region === ctx.region && q.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const scope = `ListQueues:${accountId}:${ctx.region}:${prefix}`;
  const token = stringField(input, 'NextToken', false);
  let offset = 0;
  if (token !== undefined) {
    const o = ctx.runtime.readPageToken(scope, token);
    if (o === undefined) throw invalidParameter('Invalid NextToken value.');
    offset = o;
  }
  const size = typeof max === 'number' ? max : 1000;
  const page = queues.slice(offset, offset + size);
  const out: Record<string, unknown> = {};
  if (page.length) out.QueueUrls = page.map((q) => queueUrl(ctx, q));
  if (typeof max === 'number' && offset + size < queues.length) out.NextToken = ctx.runtime.pageToken(scope, offset + size);
  return out;
};

const getQueueUrl: JsonHandler = (ctx, input) => {
  const name = stringField(input, 'QueueName', true)!;
  const owner = stringField(input, 'QueueOwnerAWSAccountId', false) ?? ctx.caller.principal.accountId;
  return { QueueUrl: queueUrl(ctx, authorizedQueue(ctx, owner, name, 'sqs:GetQueueUrl')) };
};

const getQueueAttributes: JsonHandler = (ctx, input) => {
  const queue = queueFor(ctx, input, 'sqs:GetQueueAttributes');
  const names = input.AttributeNames ?? [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw invalidParameter('AttributeNames must be a list of strings.');
  for (const n of names as string[]) {
    if (!READABLE_ATTRIBUTES.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
  }
  if (!names.length) return {};
  const all = allAttributes(queue);
  const wanted = names.includes('All') ? Object.keys(all) : (names as string[]);
  const picked: Record<string, string> = {};
  for (const n of wanted) if (all[n] !== undefined) picked[n] = all[n]!;
  return Object.keys(picked).length ? { Attributes: picked } : {};
};

const setQueueAttributes: JsonHandler = (ctx, input) => {
  const queue = queueFor(ctx, input, 'sqs:SetQueueAttributes');
  const attrs = input.Attributes;
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) {
    throw new ApiError('com.amazon.coral.validate#ValidationException', "Value null at 'attributes' failed to satisfy constraint: Member must not be null", 400, { queryCode: 'MissingParameter' });
  }
  const entries = Object.entries(attrs as Record<string, unknown>);
  const changes: Record<string, string> = {};
  let policy: QueueRec['policy'] | null | undefined;
  for (const [name, raw] of entries) {
    if (typeof raw !== 'string') throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    if (name === 'Policy') {
      try {
        policy = raw === '' ? null : parseQueuePolicy(raw, queue.arn);
      } catch (e) {
        if (e instanceof PolicyError) throw sqsError('InvalidAttributeValue', `Invalid value for the parameter Policy. Reason: ${e.message}`);
        throw e;
      }
      continue;
    }
    const problem = attributeProblem(name, raw, queue.name.endsWith('.fifo'));
    if (problem) throw sqsError(problem.code, problem.message);
    changes[name] = raw;
  }
  Object.assign(queue.attributes, changes);
  if (policy === null) delete queue.policy;
  else if (policy) queue.policy = policy;
  queue.modified = ctx.now;
  return {};
};

export const sqsOperations: Record<string, JsonHandler> = {
  ListQueues: listQueues,
  GetQueueUrl: getQueueUrl,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
};
