import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, checkUnchanged, samePolicy, verifyWrite } from '../../../src/core/sessionChecks';

const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' }] };

test('policies compare as JSON values: whitespace and key order ignored, array order and values kept', () => {
  const text = JSON.stringify(policy);
  assert.equal(samePolicy(text, JSON.stringify(policy, null, 2)), true);
  assert.equal(samePolicy(text, '{"Statement":[{"Resource":"arn:aws:s3:::b","Action":"s3:*","Principal":"*","Effect":"Deny"}],"Version":"2012-10-17"}'), true);
  assert.equal(samePolicy(text, text.replace('Deny', 'Allow')), false);
  const two = { ...policy, Statement: [policy.Statement[0], { ...policy.Statement[0], Sid: 'x' }] };
  const swapped = { ...policy, Statement: [two.Statement[1], two.Statement[0]] };
  assert.equal(samePolicy(JSON.stringify(two), JSON.stringify(swapped)), false);
  assert.equal(samePolicy(undefined, undefined), true);
  assert.equal(samePolicy(undefined, text), false);
  assert.equal(samePolicy('not json', ' not json '), true);
  assert.equal(samePolicy('not json', 'not json!'), false);
  assert.equal(canonical({ b: 1, a: [2, { d: null, c: 'x' }] }), '{"a":[2,{"c":"x","d":null}],"b":1}');
});

test('changed since preview: any difference, removal or addition refuses with the resource named', () => {
  const text = JSON.stringify(policy);
  assert.deepEqual(checkUnchanged(text, JSON.stringify(policy, null, 4), 'arn:aws:s3:::b'), { ok: true });
  const changed = checkUnchanged(text, text.replace('s3:*', 's3:Get*'), 'arn:aws:s3:::b');
  assert.match(changed.ok ? '' : changed.message, /arn:aws:s3:::b changed since the preview; nothing was written/);
  const removed = checkUnchanged(text, undefined, 'q');
  assert.match(removed.ok ? '' : removed.message, /was removed since the preview/);
  const added = checkUnchanged(undefined, text, 'q');
  assert.match(added.ok ? '' : added.message, /was added since the preview/);
});

test('verify after write', () => {
  const fixed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] });
  const locks = (t: string) => t.includes('"Deny"');
  assert.deepEqual(verifyWrite({ kind: 'delete' }, undefined, locks, 'r'), { ok: true, identical: true });
  assert.equal(verifyWrite({ kind: 'delete' }, fixed, locks, 'r').ok, false);
  assert.deepEqual(verifyWrite({ kind: 'put', text: fixed }, JSON.stringify(JSON.parse(fixed), null, 2), locks, 'r'), { ok: true, identical: true });
  assert.deepEqual(verifyWrite({ kind: 'put', text: fixed }, fixed.replace('GetObject', 'GetObject*'), locks, 'r'), { ok: true, identical: false });
  assert.equal(verifyWrite({ kind: 'put', text: fixed }, JSON.stringify(policy), locks, 'r').ok, false);
  assert.equal(verifyWrite({ kind: 'put', text: fixed }, undefined, locks, 'r').ok, false);
});
