// Two people for root against the sandbox: the unlock flow saves the reviewed change as a request
// (a read-only session), a second person's real ssh-keygen key approves it, the requester runs it
// through the product's runner; an edited request is refused before any AssumeRoot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SIGNATURE_NAMESPACE, canonicalRequest, parseRequest, sshSign, sshVerifier, usedRequestsIn, type ParsedRequest, type SignatureFile,
} from '../../../src/core/approval';
import type { ApprovalEnv } from '../../../src/core/approvalGate';
import { sha256Hex } from '../../../src/core/audit/hash';
import { isUserError } from '../../../src/core/errors';
import { RootAuditResults } from '../../../src/core/rootReport';
import { runApprovedUnlock } from '../../../src/flows/approvedUnlock';
import { auditRootCredentials } from '../../../src/flows/credentials/audit';
import { deleteRootCredentials } from '../../../src/flows/credentials/delete';
import { requestCredentialDeletion, runApprovedCredentialDeletion } from '../../../src/flows/credentials/requests';
import { createRootFlowEnv } from '../../../src/flows/env';
import { BUCKET_POLICY, type PolicyTarget } from '../../../src/flows/policyKinds';
import { unlockPolicy, type UnlockPerson } from '../../../src/flows/unlock';
import { makeKeyring, type TestKeyring } from '../../support/sshKeys';
import { flowDeps, memoryAudit, quietProgress, sampleOrgSuite, scriptedPerson } from './sandboxFlows';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';

describe('approved unlock through the runner, against the sandbox', () => {
  const suite = sampleOrgSuite();
  let ring: TestKeyring;
  let usedDir: string;
  let caller: string;
  before(async () => {
    ring = makeKeyring({ bob: { principal: 'bob@example.com', type: 'ed25519', allowed: true }, carol: { principal: 'carol@example.com', type: 'ecdsa', allowed: true } });
    usedDir = mkdtempSync(join(tmpdir(), 'root-task-used-'));
    caller = (await suite.aws.ops.callerIdentity()).arn;
  });
  after(() => {
    ring.close();
    rmSync(usedDir, { recursive: true, force: true });
  });

  const bucket: PolicyTarget = { accountId: PAYMENTS, name: RECEIPTS, arn: `arn:aws:s3:::${RECEIPTS}`, region: 'us-east-1' };
  const ciRead = { Sid: 'ReadFromCi', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PAYMENTS}:root` }, Action: 's3:GetObject', Resource: `${bucket.arn}/*` };
  const denyAll = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`] };
  const stored = async () => (await suite.control.account(PAYMENTS)).buckets.find((b) => b.name === RECEIPTS)!.policy;
  const rootCalls = async () => (await suite.control.requests()).filter((r) => r.operation === 'AssumeRoot' || r.principalType === 'root-session').map((r) => r.operation);

  const setup = (required = 1) => {
    const audit = memoryAudit();
    const approvals: ApprovalEnv = {
      settings: { required, maxAgeSeconds: 3600 },
      verifier: sshVerifier({ namespace: SIGNATURE_NAMESPACE, allowedSigners: ring.allowedSigners }),
      used: usedRequestsIn(usedDir),
      caller: async () => caller,
    };
    const env = createRootFlowEnv({ ...flowDeps(suite.aws, suite.index, audit.audit), approvals: () => approvals });
    return { env, events: audit.events };
  };

  /** The requester's side: the diff preview, "Save as Request". */
  const saveRequest = async (): Promise<ParsedRequest> => {
    const { env, events } = setup();
    const person: UnlockPerson = {
      ...scriptedPerson({ justification: 'receipts bucket locked by a bad deploy', ticket: 'INC-7' }).person,
      pickTarget: async () => bucket,
      review: async (input) => ({
        decide: async (_q, _s, options) => {
          assert.equal(options.mustRequest, true, 'with approvals required the only way forward is a request');
          return 'request';
        },
        proposedText: () => input.proposed,
        refused: () => assert.fail('refused'),
        dispose: async () => undefined,
      }),
    };
    const result = await unlockPolicy(env, person, BUCKET_POLICY, { accountId: PAYMENTS, target: bucket, region: suite.sb.region });
    assert.equal(result.outcome, 'requested');
    assert.ok(events.some((e) => e.kind === 'approval.requested'));
    assert.ok(!(await rootCalls()).some((c) => c.startsWith('Put') || c.startsWith('Delete')), 'making a request writes nothing');
    return parseRequest(canonicalRequest(result.request!));
  };
  const approve = async (who: string, p: ParsedRequest): Promise<SignatureFile> => ({
    file: `receipts.roottask.json.${who}.sig`, signature: await sshSign({ namespace: SIGNATURE_NAMESPACE }, ring.keys[who]!.file, p.canonical),
  });

  it('request saved, approved with a second key, run: the approved document is in the sandbox; a second run is refused', async () => {
    await suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] });
    const p = await saveRequest();
    assert.deepEqual(JSON.parse(p.request.policy!.document), { Version: '2012-10-17', Statement: [ciRead] });
    const sig = await approve('bob', p);

    await suite.control.reset().then(() => suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] }));
    const run = setup();
    const said = scriptedPerson();
    const result = await runApprovedUnlock(run.env, said.person, p, [sig]);
    assert.equal(result.outcome, 'applied');
    assert.deepEqual(JSON.parse((await stored())!), { Version: '2012-10-17', Statement: [ciRead] });
    assert.deepEqual(await rootCalls(), ['AssumeRoot', 'ListBuckets', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketPolicy']);
    const verified = run.events.find((e) => e.kind === 'approval.verified')!;
    assert.equal(verified.signer, 'bob@example.com');
    assert.equal(run.events.find((e) => e.kind === 'intent')?.requestSha256, p.sha256);

    const again = setup();
    const before = (await rootCalls()).length;
    await assert.rejects(runApprovedUnlock(again.env, said.person, p, [sig]), /already been run once/);
    assert.equal((await rootCalls()).length, before, 'no AssumeRoot for a used request');
  });

  it('the same request edited after approval is refused before any AssumeRoot, and the message says so', async () => {
    await suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] });
    const p = await saveRequest();
    const sig = await approve('carol', p);
    await suite.control.reset().then(() => suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] }));
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ ...ciRead, Principal: '*' }] });
    const edited = parseRequest(canonicalRequest({ ...p.request, policy: { ...p.request.policy!, document, afterSha256: sha256Hex(document) } }));
    const run = setup();
    const error = await runApprovedUnlock(run.env, scriptedPerson().person, edited, [sig]).then(() => undefined, (e: unknown) => e);
    assert.ok(isUserError(error), String(error));
    assert.match((error as Error).message, /edited after it was approved/);
    assert.deepEqual(await rootCalls(), [], 'no AssumeRoot');
    assert.ok(run.events.some((e) => e.kind === 'approval.voided'));
    assert.ok(!run.events.some((e) => e.kind === 'intent'));
  });

  it('the live policy changed after approval: the approval is void and nothing is written', async () => {
    await suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] });
    const p = await saveRequest();
    const sig = await approve('bob', p);
    await suite.control.reset().then(() => suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [denyAll] }));
    const run = setup();
    await assert.rejects(runApprovedUnlock(run.env, scriptedPerson().person, p, [sig]), /changed after the request was approved/);
    assert.ok(!(await rootCalls()).includes('PutBucketPolicy'));
    assert.match((await stored()) ?? '', /DenyEveryone/);
    assert.ok(run.events.some((e) => e.kind === 'approval.voided'));
  });

  it('with approvals required, acting alone without a request or break-glass reason is refused before AssumeRoot', async () => {
    const { env } = setup();
    const person: UnlockPerson = { ...scriptedPerson().person, pickTarget: async () => bucket, review: async () => assert.fail('no review') };
    await assert.rejects(unlockPolicy(env, person, BUCKET_POLICY, { accountId: PAYMENTS, target: bucket, region: suite.sb.region, breakGlass: 'no' }), /stated reason/);
    assert.deepEqual(await rootCalls(), []);
  });

  it('with approvals required, a credential audit runs read-only; deleting credentials without an approved request is refused before AssumeRoot', async () => {
    const { env, events } = setup();
    const account = suite.index.accounts.get(PAYMENTS)!;
    const credentialEnv = { ...env, results: new RootAuditResults(), concurrency: 1 };
    const audited = await auditRootCredentials(credentialEnv, scriptedPerson().person, quietProgress(), { accounts: [account], inactive: [] });
    assert.equal(audited.results[0]?.error, undefined);
    assert.equal(events.find((e) => e.kind === 'intent')?.detail?.readOnly, 'audit');

    await suite.control.clearRequests();
    const deleted = await deleteRootCredentials(credentialEnv, scriptedPerson().person, quietProgress(), [account]);
    assert.equal(deleted.accounts[0]?.outcome, 'failed');
    assert.match(deleted.accounts[0]?.error ?? '', /need 1 approval/);
    assert.deepEqual(await rootCalls(), []);
  });

  it('credentials: the request names each key, certificate and MFA serial; approved by a second key and run, exactly those are deleted', async () => {
    const DATALAKE = '320000000003';
    const account = suite.index.accounts.get(DATALAKE)!;
    const { env, events } = setup();
    const credentialEnv = { ...env, results: new RootAuditResults(), concurrency: 1 };
    const request = await requestCredentialDeletion(credentialEnv, scriptedPerson().person, account);
    const before = (await suite.control.account(DATALAKE)).root;
    assert.deepEqual(request.credentials?.accessKeyIds, before.accessKeys.map((k) => k.accessKeyId).sort());
    assert.deepEqual(request.credentials?.mfaSerials, before.mfaDevices.map((m) => m.serialNumber).sort());
    assert.ok(request.credentials!.accessKeyIds.includes('AKIADATALAKEROOTKEY1'));
    assert.ok(events.some((e) => e.kind === 'approval.requested'));
    const p = parseRequest(canonicalRequest(request));

    // A request that leaves out one credential does not match the live root user: void, nothing deleted.
    const partial = parseRequest(canonicalRequest({ ...request, id: 'partial-request-1', credentials: { ...request.credentials!, accessKeyIds: request.credentials!.accessKeyIds.slice(1) } }));
    const refused = setup();
    await assert.rejects(runApprovedCredentialDeletion(refused.env, scriptedPerson().person, partial, [await approve('bob', partial)]), /changed after the request was approved/);
    assert.equal((await suite.control.account(DATALAKE)).root.accessKeys.length, before.accessKeys.length, 'nothing deleted');
    assert.ok(refused.events.some((e) => e.kind === 'approval.voided'));

    const run = setup();
    const done = await runApprovedCredentialDeletion(run.env, scriptedPerson().person, p, [await approve('carol', p)]);
    assert.equal(done.outcome, 'deleted');
    const after = (await suite.control.account(DATALAKE)).root;
    assert.deepEqual([after.accessKeys.length, after.signingCertificates.length, after.password], [0, 0, null]);
    assert.equal(run.events.find((e) => e.kind === 'approval.verified')?.signer, 'carol@example.com');
  });
});
