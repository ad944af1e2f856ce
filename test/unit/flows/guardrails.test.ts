import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_GUARDRAILS, checkGuardrails, checkTicket, globMatches, type GuardrailSettings } from '../../../src/core/guardrails';
import { sampleIndex } from './orgFixture';

const ok = { accountId: '222222222222', justification: 'prod bucket locked by a bad deploy', ticket: 'OPS-42' };
const withSettings = (s: Partial<GuardrailSettings>) => ({ ...DEFAULT_GUARDRAILS, ...s });

test('a complete request for a member account passes', () => {
  assert.deepEqual(checkGuardrails(DEFAULT_GUARDRAILS, ok, sampleIndex()), { ok: true });
});

test('justification and ticket are required and the ticket must match the pattern', () => {
  const rule = (req: object) => {
    const r = checkGuardrails(DEFAULT_GUARDRAILS, { ...ok, ...req });
    return r.ok ? 'ok' : r.rule;
  };
  assert.equal(rule({ justification: '   ' }), 'justification');
  assert.equal(rule({ justification: 'because' }), 'justification');
  assert.equal(rule({ ticket: '' }), 'ticket');
  assert.equal(rule({ ticket: 'ops-42' }), 'ticket');
  assert.equal(rule({ ticket: 'OPS42' }), 'ticket');
  assert.equal(rule({ ticket: ' INC1-7 ' }), 'ok');
});

test('requireJustification=false lifts both the justification and ticket requirement', () => {
  assert.deepEqual(checkGuardrails(withSettings({ requireJustification: false }), { ...ok, justification: '', ticket: '' }), { ok: true });
});

test('an unusable ticket pattern fails closed and names the pattern', () => {
  const r = checkTicket(withSettings({ ticketPattern: '([' }), 'OPS-1');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /\(\[/);
});

test('account rules: id shape, denied, allowed list, management account, outside the organization', () => {
  const index = sampleIndex();
  const rule = (accountId: string, s: Partial<GuardrailSettings> = {}) => {
    const r = checkGuardrails(withSettings(s), { ...ok, accountId }, index);
    return r.ok ? 'ok' : r.rule;
  };
  assert.equal(rule('12345'), 'accountId');
  assert.equal(rule('2222-2222-2222'), 'accountId');
  assert.equal(rule('222222222222', { deniedAccounts: ['222222222222'] }), 'deniedAccount');
  assert.equal(rule('222222222222', { allowedAccounts: ['333333333333'] }), 'notAllowedAccount');
  assert.equal(rule('333333333333', { allowedAccounts: ['333333333333'] }), 'ok');
  assert.equal(rule('111111111111'), 'managementAccount');
  assert.equal(rule('999999999999'), 'outsideOrganization');
});

test('protected resources: globs match whole ARNs, case-sensitively', () => {
  const s = withSettings({ protectedResources: ['arn:aws:s3:::prod-*', 'arn:aws:sqs:*:222222222222:audit-?'] });
  const rule = (resourceArn: string) => {
    const r = checkGuardrails(s, { ...ok, resourceArn });
    return r.ok ? 'ok' : r.rule;
  };
  assert.equal(rule('arn:aws:s3:::prod-logs'), 'protectedResource');
  assert.equal(rule('arn:aws:s3:::Prod-logs'), 'ok');
  assert.equal(rule('arn:aws:s3:::my-prod-logs'), 'ok');
  assert.equal(rule('arn:aws:sqs:eu-west-1:222222222222:audit-1'), 'protectedResource');
  assert.equal(rule('arn:aws:sqs:eu-west-1:222222222222:audit-12'), 'ok');
});

test('glob special characters other than * and ? are literal', () => {
  assert.equal(globMatches('arn:aws:s3:::a.b', 'arn:aws:s3:::axb'), false);
  assert.equal(globMatches('arn:aws:s3:::(x)+', 'arn:aws:s3:::(x)+'), true);
  assert.equal(globMatches('', 'anything'), false);
  assert.equal(globMatches('*', 'anything'), true);
});
