import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));

test('audit settings cannot come from a workspace: machine scope, restricted in untrusted workspaces', () => {
  const props = pkg.contributes.configuration.properties;
  for (const key of ['sinkUrl', 'caFile', 'strictAck', 'maxPending', 'maxFileBytes']) {
    assert.equal(props[`rootTasks.audit.${key}`]?.scope, 'machine', key);
  }
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['sinkUrl', 'caFile', 'strictAck', 'maxPending']) assert.ok(restricted.includes(`rootTasks.audit.${key}`), key);
  assert.ok(new RegExp(props['rootTasks.audit.sinkUrl'].pattern).test('https://audit.example.internal/hook'));
  assert.ok(!new RegExp(props['rootTasks.audit.sinkUrl'].pattern).test('http://audit.example.internal/hook'));
});

test('the audit commands are declared in the Root Tasks category', () => {
  const declared = new Map<string, { category?: string }>(pkg.contributes.commands.map((c: { command: string }) => [c.command, c]));
  for (const id of ['showAuditLog', 'verifyAuditLog', 'exportAuditLog', 'setAuditSinkSecret', 'openAuditLogFile']) {
    assert.equal(declared.get(`rootTasks.${id}`)?.category, 'Root Tasks', id);
  }
});
