import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClients } from '../../../src/aws/clients';

test('building the clients on this Node (' + process.version + ') emits no SDK "upgrade Node" warning (the extension host\'s Node is not the user\'s to change)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    const clients = createClients({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' }, { region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    // Clients are built on first use; each one's runtime config checks the Node version.
    assert.ok(clients.s3 && clients.sts && clients.sqs);
    // Warnings are emitted on the next tick.
    await new Promise((r) => setTimeout(r, 20));
    clients.destroy();
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings.filter((w) => /NodeVersionSupportWarning/.test(w)), []);
});
