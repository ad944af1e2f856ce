// Approvals with real OpenSSH keys (ed25519 and ecdsa, made by ssh-keygen in a temp folder):
// request files signed with `ssh-keygen -Y sign`, checked with `ssh-keygen -Y verify` against an
// allowed-signers file, then the runner's approval step and its write binding.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SIGNATURE_NAMESPACE, canonicalRequest, checkApprovals, createRequest, parseRequest, sshFingerprint, sshSign, sshVerifier, usedRequestsIn,
  type ParsedRequest, type SignatureFile,
} from '../../../src/core/approval';
import { admitTask, checkWrite, type ApprovalEnv } from '../../../src/core/approvalGate';
import { sha256Hex } from '../../../src/core/audit/hash';
import type { AuditInput } from '../../../src/core/audit/types';
import { sanitize } from '../../../src/core/audit/sanitize';
import { makeKeyring, type TestKeyring } from '../../support/sshKeys';

const ACCOUNT = '222222222222';
const BUCKET = 'arn:aws:s3:::payments-receipts';
const REQUESTER = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com`;
const BEFORE = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}';
const AFTER = '{\n  "Version": "2012-10-17",\n  "Statement": []\n}';
const NOW = new Date('2026-12-06T12:00:00Z');
const settings = { required: 1, maxAgeSeconds: 86_400 };
const target = { task: 'S3UnlockBucketPolicy', accountId: ACCOUNT, resourceArn: BUCKET, caller: REQUESTER };

function request(over: { resourceArn?: string; accountId?: string; now?: Date; maxAgeSeconds?: number } = {}): ParsedRequest {
  const r = createRequest({
    task: 'S3UnlockBucketPolicy', accountId: over.accountId ?? ACCOUNT, resourceArn: over.resourceArn ?? BUCKET, before: BEFORE, after: AFTER,
    requester: REQUESTER, justification: 'receipts bucket locked by a bad deploy', ticket: 'INC-7', now: over.now ?? NOW, maxAgeSeconds: over.maxAgeSeconds ?? 3600,
  });
  return parseRequest(canonicalRequest(r));
}

describe('approvals signed with real ssh-keygen keys', () => {
  let ring: TestKeyring;
  let verifier: ReturnType<typeof sshVerifier>;
  const sign = async (who: string, p: ParsedRequest | string): Promise<SignatureFile> => ({
    file: `payments.roottask.json.${who}.sig`,
    signature: await sshSign({ namespace: SIGNATURE_NAMESPACE }, ring.keys[who]!.file, typeof p === 'string' ? p : p.canonical),
  });

  before(() => {
    ring = makeKeyring({
      bob: { principal: 'bob@example.com', type: 'ed25519', allowed: true },
      carol: { principal: 'carol@example.com', type: 'ecdsa', allowed: true },
      alice: { principal: 'alice@example.com', type: 'ed25519', allowed: true },
      mallory: { principal: 'mallory@example.com', type: 'ed25519', allowed: false },
    });
    verifier = sshVerifier({ namespace: SIGNATURE_NAMESPACE, allowedSigners: ring.allowedSigners });
  });
  after(() => ring.close());

  it('the request file is canonical: the same bytes after a round trip, hashes of before and the document inside', () => {
    const p = request();
    assert.equal(parseRequest(p.canonical).canonical, p.canonical);
    assert.equal(p.request.policy?.beforeSha256, sha256Hex(BEFORE));
    assert.equal(p.request.policy?.afterSha256, sha256Hex(AFTER));
    assert.equal(p.request.policy?.document, AFTER);
    assert.throws(() => parseRequest(p.canonical.replace('"ticket"', '"extra": 1, "ticket"')), /unknown field "extra"/);
  });

  it('valid approval by an ed25519 key: the signer principal and key fingerprint', async () => {
    const p = request();
    const v = await checkApprovals(p, [await sign('bob', p)], target, settings, verifier, NOW);
    assert.ok(v.ok, JSON.stringify(v));
    assert.deepEqual(v.approvers, [{ principal: 'bob@example.com', fingerprint: await sshFingerprint({}, `${ring.keys.bob!.file}.pub`) }]);
  });

  it('two approvals need two distinct people: ed25519 + ecdsa pass, the same key twice does not', async () => {
    const p = request();
    const two = { ...settings, required: 2 };
    const ok = await checkApprovals(p, [await sign('bob', p), await sign('carol', p)], target, two, verifier, NOW);
    assert.ok(ok.ok);
    assert.deepEqual(ok.approvers.map((a) => a.principal).sort(), ['bob@example.com', 'carol@example.com']);
    const same = await checkApprovals(p, [await sign('bob', p), await sign('bob', p)], target, two, verifier, NOW);
    assert.equal(same.ok, false);
    assert.match(same.ok ? '' : same.message, /distinct people/);
  });

  it('unknown signer: a key not in the allowed-signers file does not count', async () => {
    const p = request();
    const v = await checkApprovals(p, [await sign('mallory', p)], target, settings, verifier, NOW);
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.message, /not in the allowed-signers file/);
    assert.equal(v.ok ? undefined : v.voided, false);
  });

  it("the requester approving their own request does not count, even with an allowed key", async () => {
    const p = request();
    const v = await checkApprovals(p, [await sign('alice', p)], target, settings, verifier, NOW);
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.message, /by the requester \(alice@example\.com\)/);
  });

  it('a signature made for another namespace (a git commit signature) does not count', async () => {
    const p = request();
    const signature = await sshSign({ namespace: 'git' }, ring.keys.bob!.file, p.canonical);
    const v = await checkApprovals(p, [{ file: 'git.sig', signature }], target, settings, verifier, NOW);
    assert.equal(v.ok, false);
  });

  it('tampered request: a changed policy document or justification voids the approval, and the message says so', async () => {
    const p = request();
    const approval = await sign('bob', p);
    const tampered = { ...p.request, policy: { ...p.request.policy!, document: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}' } };
    tampered.policy.afterSha256 = sha256Hex(tampered.policy.document);
    for (const edited of [parseRequest(canonicalRequest(tampered)), parseRequest(canonicalRequest({ ...p.request, justification: 'something else' }))]) {
      const v = await checkApprovals(edited, [approval], target, settings, verifier, NOW);
      assert.equal(v.ok, false);
      assert.equal(v.ok ? undefined : v.voided, true);
      assert.match(v.ok ? '' : v.message, /edited after it was approved/);
    }
    // The hash shown to reviewers must match the document: an edited document with the old hash is no request at all.
    assert.throws(() => parseRequest(canonicalRequest({ ...p.request, policy: { ...p.request.policy!, document: '{}' } })), /does not match its afterSha256/);
  });

  it('expired: past expiresAt, or older than the maximum age setting', async () => {
    const p = request({ maxAgeSeconds: 600 });
    const sig = [await sign('bob', p)];
    const late = await checkApprovals(p, sig, target, settings, verifier, new Date(NOW.getTime() + 601_000));
    assert.equal(late.ok ? undefined : late.rule, 'approvalExpired');
    const tooOld = await checkApprovals(p, sig, target, { ...settings, maxAgeSeconds: 60 }, verifier, new Date(NOW.getTime() + 61_000));
    assert.equal(tooOld.ok ? undefined : tooOld.rule, 'approvalExpired');
    assert.ok((await checkApprovals(p, sig, target, settings, verifier, new Date(NOW.getTime() + 599_000))).ok);
  });

  it('replay: an approval for one resource or account is refused on another', async () => {
    const p = request();
    const sig = [await sign('bob', p)];
    const otherBucket = await checkApprovals(p, sig, { ...target, resourceArn: 'arn:aws:s3:::other' }, settings, verifier, NOW);
    assert.equal(otherBucket.ok ? undefined : otherBucket.rule, 'approvalMismatch');
    const otherAccount = await checkApprovals(p, sig, { ...target, accountId: '333333333333' }, settings, verifier, NOW);
    assert.equal(otherAccount.ok ? undefined : otherAccount.rule, 'approvalMismatch');
    // Re-pointing the request at another bucket is an edit: the signature no longer matches.
    const moved = parseRequest(canonicalRequest({ ...p.request, resourceArn: 'arn:aws:s3:::other' }));
    const v = await checkApprovals(moved, sig, { ...target, resourceArn: 'arn:aws:s3:::other' }, settings, verifier, NOW);
    assert.equal(v.ok ? undefined : v.voided, true);
  });

  it('only the requester may run the request', async () => {
    const p = request();
    const v = await checkApprovals(p, [await sign('bob', p)], { ...target, caller: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob@example.com` }, settings, verifier, NOW);
    assert.equal(v.ok ? undefined : v.rule, 'approvalNotRequester');
  });

  describe("the runner's approval step", () => {
    let usedDir: string;
    before(() => void (usedDir = mkdtempSync(join(tmpdir(), 'root-task-used-'))));
    after(() => rmSync(usedDir, { recursive: true, force: true }));
    const env = (): ApprovalEnv => ({ settings, verifier, used: usedRequestsIn(usedDir), caller: async () => REQUESTER });
    const recorder = () => {
      const events: AuditInput[] = [];
      return { events, record: async (e: AuditInput) => void events.push(sanitize(e)) };
    };

    it('records each approver (principal and fingerprint, no key), binds writes, and refuses a second use', async () => {
      const p = request();
      const sig = await sign('bob', p);
      const a = recorder();
      const step = await admitTask(env(), { kind: 'request', parsed: p, signatures: [sig] }, target, a.record, a.record, NOW);
      await step.consume();
      const verified = a.events.find((e) => e.kind === 'approval.verified')!;
      assert.equal(verified.signer, 'bob@example.com');
      assert.match(verified.keyFingerprint!, /^SHA256:/);
      assert.equal(verified.requestSha256, p.sha256);
      assert.ok(!JSON.stringify(a.events).includes('BEGIN SSH SIGNATURE'));
      assert.ok(!JSON.stringify(a.events).includes(readPub(ring.keys.bob!.file)));

      await checkWrite(step.binding, BUCKET, { beforeSha256: sha256Hex(BEFORE), afterSha256: sha256Hex(AFTER) }, a.record);
      await assert.rejects(checkWrite(step.binding, BUCKET, { beforeSha256: sha256Hex(`${BEFORE} `), afterSha256: sha256Hex(AFTER) }, a.record), /changed after the request was approved/);
      await assert.rejects(checkWrite(step.binding, BUCKET, { beforeSha256: sha256Hex(BEFORE), afterSha256: sha256Hex(`${AFTER} `) }, a.record), /not the approved one \(edited after approval\)/);
      await assert.rejects(checkWrite(step.binding, 'arn:aws:s3:::other', { beforeSha256: sha256Hex(BEFORE), afterSha256: sha256Hex(AFTER) }, a.record), /covers/);
      assert.equal(a.events.filter((e) => e.kind === 'approval.voided').length, 2);

      const again = await admitTask(env(), { kind: 'request', parsed: p, signatures: [sig] }, target, a.record, a.record, NOW);
      await assert.rejects(again.consume(), /already been run once/);
      assert.equal(a.events.at(-1)?.detail?.rule, 'approvalReused');
    });

    it('with approvals required: no approval is refused, a preparing session may not write, break-glass needs a reason and goes through the gate', async () => {
      const a = recorder();
      await assert.rejects(admitTask(env(), undefined, target, a.record, a.record, NOW), /need 1 approval/);
      const prep = await admitTask(env(), { kind: 'readOnly', purpose: 'request' }, target, a.record, a.record, NOW);
      await assert.rejects(checkWrite(prep.binding, BUCKET, {}, a.record), /only reads \(request\): nothing may be written without an approved request/);
      await assert.rejects(admitTask(env(), { kind: 'breakGlass', reason: 'x' }, target, a.record, a.record, NOW), /stated reason/);
      const gate: AuditInput[] = [];
      await admitTask(env(), { kind: 'breakGlass', reason: 'payments down, no approver answers' }, target, a.record, async (e) => void gate.push(sanitize(e)), NOW);
      assert.equal(gate[0]?.kind, 'breakGlass');
      assert.equal(gate[0]?.detail?.severity, 'high');
    });

    it('a tampered request is recorded as voided before any AssumeRoot', async () => {
      const p = request();
      const sig = await sign('carol', p);
      const edited = parseRequest(canonicalRequest({ ...p.request, ticket: 'INC-8' }));
      const a = recorder();
      await assert.rejects(admitTask(env(), { kind: 'request', parsed: edited, signatures: [sig] }, target, a.record, a.record, NOW), /edited after it was approved/);
      assert.deepEqual(a.events.map((e) => e.kind), ['approval.refused', 'approval.voided']);
    });
  });
});

function readPub(file: string): string {
  return readFileSync(`${file}.pub`, 'utf8').split(' ')[1]!;
}
