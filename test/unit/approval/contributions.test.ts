// The approval settings widen or narrow who may act as root: machine scope, restricted in
// untrusted workspaces (a cloned repository cannot set approvals to 0 or swap the signers file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

test('approval settings are machine-scoped and restricted in untrusted workspaces', () => {
  const props = pkg.contributes.configuration.properties;
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['required', 'allowedSignersFile', 'requestMaxAgeMinutes', 'signingKey']) {
    const name = `rootTasks.approvals.${key}`;
    assert.equal(props[name]?.scope, 'machine', name);
    assert.ok(restricted.includes(name), `${name} restricted`);
  }
  assert.deepEqual(props['rootTasks.approvals.required'].enum, [0, 1, 2]);
});
