// The clock-skew measurement rides on calls the extension makes anyway: every client reports the
// Date header of each response (errors too), and a sandbox whose Date header runs 45 s ahead
// makes the local clock skewed with no extra request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { sandboxControl, startSandbox, type SandboxHandle } from '../../sandbox';
import { createAwsContext } from '../../../src/aws';
import { ClockSkew } from '../../../src/core/clockSkew';

describe('clock skew from AWS responses', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => sb?.close());

  it('records the Date header of successes and errors, and nothing else is requested', async () => {
    const control = sandboxControl(sb.endpoint);
    const skew = new ClockSkew();
    const { accessKeyId, secretAccessKey } = sb.management;
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 },
      { accessKeyId, secretAccessKey }, undefined, { onServerDate: (server, local) => skew.record(server, local) });
    try {
      await aws.management.sts.send(new GetCallerIdentityCommand({}));
      assert.ok(Math.abs(skew.offsetMs!) < 1500, `${skew.offsetMs}`);
      assert.equal(skew.skewed, false);
      await control.dateHeader(45);
      await control.clearRequests();
      // An error response (the bucket is another account's and has no policy for us) still tells the time.
      await assert.rejects(aws.management.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })));
      assert.ok(skew.offsetMs! > 43_500 && skew.offsetMs! < 46_500, `${skew.offsetMs}`);
      assert.equal(skew.skewed, true);
      assert.equal((await control.requests()).length, 1, 'no extra call to learn the time');
    } finally {
      aws.dispose();
      await control.reset();
    }
  });
});
