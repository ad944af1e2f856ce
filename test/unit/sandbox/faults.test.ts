// Faults against the sandbox with the real SDK: throttling with each service's error, 5xx,
// connection resets, latency — set at start and at run time.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { clients, destroyAll, rejectsWith, type Clients } from './helpers';

describe('sandbox faults', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let c: Clients;

  const calls = (x: Clients) => ({
    sts: () => x.sts.send(new GetCallerIdentityCommand({})),
    iam: () => x.iam.send(new ListAccessKeysCommand({})),
    organizations: () => x.org.send(new ListRootsCommand({})),
    s3: () => x.s3.send(new ListBucketsCommand({})),
    sqs: () => x.sqs.send(new ListQueuesCommand({})),
  });

  before(async () => {
    sandbox = await startSandbox({ faults: { latencyMs: { organizations: 30 } } });
    control = sandboxControl(sandbox.endpoint);
    c = clients(sandbox, sandbox.management);
  });
  beforeEach(() => control.reset());
  after(async () => {
    destroyAll(c);
    await sandbox.close();
  });

  test('throttling per service, each with its own error', async () => {
    await control.faults({ throttle: { sts: 1, iam: 1, organizations: 1, s3: 1, sqs: 1 } });
    const expected = { sts: ['Throttling', 400], iam: ['Throttling', 400], organizations: ['TooManyRequestsException', 400], s3: ['SlowDown', 503], sqs: ['RequestThrottled', 400] } as const;
    for (const [service, call] of Object.entries(calls(c))) {
      await call();
      const [name, status] = expected[service as keyof typeof expected];
      const err = await rejectsWith(call(), name);
      assert.equal(err.$metadata?.httpStatusCode, status, service);
    }
    const throttled = await control.requests({ outcome: 'error' });
    assert.equal(throttled.length, 5);
  });

  test('the SDK retries throttled calls; the limit holds over time', async () => {
    await control.faults({ throttle: { sts: 20 } });
    const sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.management, maxAttempts: 10 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => sts.send(new GetCallerIdentityCommand({}))));
    const seconds = (Date.now() - started) / 1000;
    const log = await control.requests({ service: 'sts' });
    assert.equal(log.filter((e) => e.outcome === 'success').length, 40);
    assert.ok(log.some((e) => e.errorCode === 'Throttling'), 'some attempts were throttled');
    assert.ok(seconds >= 0.9, `40 calls at 20/s with a burst of 20 take about a second (took ${seconds}s)`);
    sts.destroy();
  });

  test('a 5xx rate: every service answers its server error', async () => {
    await control.faults({ errorRate: 1 });
    const expected = { sts: 'InternalFailure', iam: 'ServiceFailureException', organizations: 'ServiceException', s3: 'InternalError', sqs: 'InternalError' };
    for (const [service, call] of Object.entries(calls(c))) {
      const err = await rejectsWith(call(), expected[service as keyof typeof expected]);
      assert.ok((err.$metadata?.httpStatusCode ?? 0) >= 500, service);
    }
    await control.faults({ errorRate: { s3: 1 } });
    assert.ok(await calls(c).sts());
    await rejectsWith(calls(c).s3(), 'InternalError');
  });

  test('connection resets: the socket is destroyed, the SDK sees a network error', async () => {
    await control.faults({ resetRate: { sts: 1 } });
    try {
      await calls(c).sts();
      assert.fail('expected a network error');
    } catch (e) {
      const err = e as Error & { code?: string };
      assert.match(`${err.code} ${err.message}`, /ECONNRESET|socket hang up/);
    }
    const [entry] = await control.requests({ outcome: 'reset' });
    assert.equal(entry?.service, 'sts');
  });

  test('latency per call: configured at start, changed at run time, restored by reset', async () => {
    let t = Date.now();
    await calls(c).organizations();
    assert.ok(Date.now() - t >= 30, 'start-up latency for Organizations');
    await control.faults({ latencyMs: 120 });
    t = Date.now();
    await calls(c).sqs();
    assert.ok(Date.now() - t >= 120);
    await control.faults({ latencyMs: { min: 40, max: 60 }, seed: 3 });
    t = Date.now();
    await calls(c).iam();
    assert.ok(Date.now() - t >= 40);
    await control.reset();
    assert.deepEqual(await control.currentFaults(), { latencyMs: { organizations: 30 } });
  });

  test('a malformed fault setting is refused with the reason', async () => {
    for (const bad of [{ errorRate: 2 }, { throttle: { ec2: 5 } }, { latencyMs: -1 }, { colour: 'red' }]) {
      await assert.rejects(control.faults(bad as never), /400/);
    }
  });
});
