import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPolicy } from '../../../src/core/policy';

test('keys come in the fixed order: Version, Id, Statement, then the rest sorted', () => {
  const doc = { Zeta: 1, Statement: [], Id: 'x', Alpha: true, Version: '2012-10-17' };
  assert.equal(formatPolicy(doc), '{\n  "Version": "2012-10-17",\n  "Id": "x",\n  "Statement": [],\n  "Alpha": true,\n  "Zeta": 1\n}');
});

test('statement keys: Sid, Effect, Principal … Condition first, nested objects sorted, arrays kept in order', () => {
  const st = {
    Condition: { StringNotEquals: { 'aws:b': 'x', 'aws:a': ['2', '1'] }, Bool: { 'aws:SecureTransport': 'false' } },
    Resource: ['z', 'a'], Action: 's3:*', Effect: 'Deny', Principal: { Service: 's', AWS: '*' }, Sid: 'S', Extra: 1, Another: 2,
  };
  const text = formatPolicy({ Statement: [st] });
  const keysInOrder = [...text.matchAll(/"([A-Za-z:]+)":/g)].map((m) => m[1]);
  assert.deepEqual(keysInOrder, ['Statement', 'Sid', 'Effect', 'Principal', 'AWS', 'Service', 'Action', 'Resource', 'Condition',
    'Bool', 'aws:SecureTransport', 'StringNotEquals', 'aws:a', 'aws:b', 'Another', 'Extra']);
  assert.ok(text.includes('"Resource": [\n        "z",\n        "a"\n      ]'));
  assert.ok(text.includes('"aws:a": [\n            "2",\n            "1"\n          ]'));
  // A single statement object is ordered like a statement too.
  assert.ok(formatPolicy({ Statement: { Resource: '*', Effect: 'Deny' } }).indexOf('Effect') < formatPolicy({ Statement: { Resource: '*', Effect: 'Deny' } }).indexOf('Resource'));
});

test('the same policy written in any key order formats to the same text, and formatting is idempotent', () => {
  const a = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: 'r', Condition: { Bool: { k: 'true' }, Null: { j: 'false' } } }] };
  const b = { Statement: [{ Condition: { Null: { j: 'false' }, Bool: { k: 'true' } }, Resource: 'r', Action: ['s3:GetObject'], Principal: '*', Effect: 'Allow' }], Version: '2012-10-17' };
  const text = formatPolicy(a);
  assert.equal(formatPolicy(b), text);
  assert.equal(formatPolicy(JSON.parse(text)), text);
  assert.deepEqual(JSON.parse(text), a);
  // Already in order: identical to JSON.stringify with two-space indent.
  assert.equal(text, JSON.stringify({ Version: a.Version, Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: 'r', Condition: { Bool: { k: 'true' }, Null: { j: 'false' } } }] }, null, 2));
});

test('integer-like keys are ordered as strings, unlike plain JavaScript objects', () => {
  assert.equal(formatPolicy({ Statement: [], x: { 9: 'a', 10: 'b', b: 'c' } }), '{\n  "Statement": [],\n  "x": {\n    "10": "b",\n    "9": "a",\n    "b": "c"\n  }\n}');
});

test('scalars, strings that need escaping, and values JSON cannot hold behave as JSON.stringify', () => {
  assert.equal(formatPolicy('a"b\n'), JSON.stringify('a"b\n'));
  assert.equal(formatPolicy(null), 'null');
  assert.equal(formatPolicy(1.5), '1.5');
  assert.equal(formatPolicy({ a: undefined, b: () => 1, c: [undefined, NaN, Infinity], d: '\u2028\ud800' }), '{\n  "c": [\n    null,\n    null,\n    null\n  ],\n  "d": "\u2028\\ud800"\n}');
  assert.equal(formatPolicy([]), '[]');
  assert.equal(formatPolicy({ Statement: [{}] }), '{\n  "Statement": [\n    {}\n  ]\n}');
});

test('deep nesting formats without recursion; cycles and bigints throw TypeError like JSON.stringify', () => {
  // Pretty output grows with the square of the depth, so depth is bounded by output size, not the stack.
  let deep: unknown = 'leaf';
  for (let k = 0; k < 3_000; k++) deep = [deep];
  const text = formatPolicy(deep);
  assert.equal(text, JSON.stringify(deep, null, 2));
  const cyclic: Record<string, unknown> = {};
  cyclic.self = { again: cyclic };
  assert.throws(() => formatPolicy(cyclic), TypeError);
  assert.throws(() => formatPolicy({ n: 1n }), TypeError);
  // Shared (not cyclic) references are fine.
  const shared = { x: 1 };
  assert.equal(formatPolicy({ a: shared, b: shared }), '{\n  "a": {\n    "x": 1\n  },\n  "b": {\n    "x": 1\n  }\n}');
});
