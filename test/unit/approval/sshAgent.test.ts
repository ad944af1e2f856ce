// Approve with the key held by ssh-agent: ssh-keygen -Y sign is given only the public key file and
// asks the agent (SSH_AUTH_SOCK) to sign; the private key file is deleted before signing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_NAMESPACE, canonicalRequest, createRequest, parseRequest, sshSign, sshVerifier } from '../../../src/core/approval';
import { makeKeyring } from '../../support/sshKeys';

test('a signature made through ssh-agent verifies like one made with the key file', async (t) => {
  const ring = makeKeyring({ bob: { principal: 'bob@example.com', type: 'ecdsa', allowed: true } });
  t.after(() => ring.close());
  const sock = join(ring.dir, 'agent.sock');
  // -D: the agent stays in the foreground as our child, so it is stopped by its own pid.
  const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  t.after(() => void agent.kill());
  for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
  const env = { ...process.env, SSH_AUTH_SOCK: sock };
  execFileSync('ssh-add', ['-q', ring.keys.bob!.file], { env, stdio: 'ignore' });
  rmSync(ring.keys.bob!.file);

  const p = parseRequest(canonicalRequest(createRequest({
    task: 'S3UnlockBucketPolicy', accountId: '222222222222', resourceArn: 'arn:aws:s3:::b', before: '{}', after: '',
    requester: 'arn:aws:sts::222222222222:assumed-role/Admin/alice@example.com', justification: 'locked bucket', ticket: 'INC-1', now: new Date(), maxAgeSeconds: 600,
  })));
  const signature = await sshSign({ namespace: SIGNATURE_NAMESPACE, env }, `${ring.keys.bob!.file}.pub`, p.canonical);
  const check = await sshVerifier({ namespace: SIGNATURE_NAMESPACE, allowedSigners: ring.allowedSigners }).verify(p.canonical, signature);
  assert.ok(check.ok, JSON.stringify(check));
  assert.equal(check.principal, 'bob@example.com');
  // Without the agent the public key alone cannot sign.
  await assert.rejects(sshSign({ namespace: SIGNATURE_NAMESPACE, env: { ...process.env, SSH_AUTH_SOCK: join(ring.dir, 'none') } }, `${ring.keys.bob!.file}.pub`, p.canonical), /could not sign/);
});
