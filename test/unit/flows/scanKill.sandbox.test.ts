// Bulk work survives a crash: a scan running in a process of its own (scanProcess.ts: the product's
// scan flow with its findings, progress record and audit trail on disk) is killed with SIGKILL
// midway, then resumed by a new process on the same folder. Together they end with exactly the
// accounts and findings of an uninterrupted scan, and no account the killed process finished is
// sessioned again (counted at the sandbox: AssumeRoot per target account).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, sandboxControl, generateOrg, type SandboxHandle } from '../../sandbox';
import { createAwsContext, type AwsContext } from '../../../src/aws';
import { createAuditTrail } from '../../../src/core/audit';
import { createBulkStore } from '../../../src/core/bulkProgress';
import { FindingsStore } from '../../../src/core/findings';
import type { OrgIndex } from '../../../src/core/orgIndex';
import { createScanEnv } from '../../../src/flows/env';
import { scanForLockedPolicies } from '../../../src/flows/scan';
import { fileStore } from './fileStore';
import { flowDeps, listOrganization, memoryAudit, quietProgress, scriptedPerson, assumeRootTarget, scanSnapshot } from './sandboxFlows';
import type { ScanProcessConfig } from './scanProcess';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(__dirname, 'scanProcess.ts');
/** AssumeRoot calls per target account. */
function sessionsPerAccount(entries: Array<{ target?: string }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) {
    const id = assumeRootTarget(e);
    if (id) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

interface Child {
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

function scanProcess(config: ScanProcessConfig): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', ROOT_TASKS_SCAN_PROCESS: JSON.stringify(config) },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { exit, kill: () => void child.kill('SIGKILL') };
}

/** Lines in the scan's progress file (one per account recorded as done). */
function recordedLines(dir: string): number {
  const file = readdirSync(dir).find((n) => n.endsWith('.progress'));
  return file ? readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim()).length : 0;
}

describe('a scan killed midway (SIGKILL) resumes in a new process', () => {
  const seed = generateOrg({ accounts: 40, ous: 4, bucketsPerAccount: 3, queuesPerAccount: 2, seed: 21 });
  let sb: SandboxHandle;
  let aws: AwsContext;
  let index: OrgIndex;
  let dir: string;
  before(async () => {
    // 80 ms per call: the scan runs for several seconds, long enough to be killed midway.
    sb = await startSandbox({ seed, faults: { latencyMs: 80 } });
    aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4 }, sb.management);
    index = await listOrganization(aws);
    dir = mkdtempSync(join(tmpdir(), 'scan-kill-'));
  });
  after(async () => {
    aws?.dispose();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with the accounts and findings of an uninterrupted scan, no finished account sessioned again', { timeout: 180_000 }, async () => {
    const control = sandboxControl(sb.endpoint);
    const whole = flowDeps(aws, index, memoryAudit().audit);
    const full = await scanForLockedPolicies(createScanEnv(whole), scriptedPerson().person, quietProgress(), {
      accounts: index.memberAccounts(), scope: 'the organization', mode: 'rootSession', roleName: 'OrganizationAccountAccessRole',
      regions: [], homeRegion: sb.region, accountConcurrency: 4,
    });
    const expected = scanSnapshot(whole.findings);
    assert.equal(full.remaining, 0);
    assert.ok(expected.flagged.length > 0 && expected.scanned.length >= 30, 'the generated org has lockouts to find');

    const config: ScanProcessConfig = { endpoint: sb.endpoint, region: sb.region, management: sb.management, dir, resume: false };
    const progressDir = join(dir, 'progress');

    // The first process, killed once a handful of accounts are recorded as done.
    await control.clearRequests();
    const first = scanProcess(config);
    let exited = false;
    void first.exit.then(() => (exited = true));
    for (;;) {
      let lines = 0;
      try {
        lines = recordedLines(progressDir);
      } catch {
        // The folder is made when the scan starts.
      }
      if (lines >= 6 || exited) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.kill();
    const killed = await first.exit;
    assert.equal(killed.signal, 'SIGKILL', `the first process was killed midway, not finished:\n${killed.stdout.slice(-500)}\n${killed.stderr}`);
    // The sandbox logs a request when it answers (after its 80 ms): let the killed process's calls
    // still in flight land in its log before it is read and cleared, or the resume is charged with them.
    await new Promise((r) => setTimeout(r, 300));
    const firstSessions = sessionsPerAccount(await control.requests({ operation: 'AssumeRoot' }));

    // What survived the kill: the findings saved, and the accounts recorded as done (never more than those saved).
    const savedFirst = new Set(scanSnapshot(new FindingsStore(fileStore(join(dir, 'findings.json')))).scanned);
    const [journal, ...others] = await createBulkStore(progressDir).unfinished();
    assert.ok(journal && !others.length, 'one unfinished scan on disk');
    const recorded = [...journal.done().keys()];
    assert.ok(recorded.length >= 6 && recorded.length < expected.scanned.length, `killed midway: ${recorded.length} of ${expected.scanned.length} recorded`);
    assert.deepEqual(recorded.filter((id) => !savedFirst.has(id)), [], 'an account is recorded as done only once its findings are saved');
    for (const id of savedFirst) assert.equal(firstSessions.get(id), 2, `account ${id} finished in the first process with its two sessions`);

    // The second process: a new store on the same folder resumes.
    await control.clearRequests();
    const second = await scanProcess({ ...config, resume: true }).exit;
    assert.equal(second.code, 0, `the resume finished:\n${second.stderr}`);
    const summary = JSON.parse(/finished (.*)/.exec(second.stdout)![1]!) as { scanned: number; remaining: number; resumedDone: number };
    assert.equal(summary.remaining, 0);
    const secondSessions = sessionsPerAccount(await control.requests({ operation: 'AssumeRoot' }));

    assert.deepEqual([...secondSessions.keys()].filter((id) => savedFirst.has(id)), [], 'no account the killed process finished is sessioned again');
    assert.deepEqual([...secondSessions.keys(), ...savedFirst].sort(), expected.scanned, 'the two processes together scanned exactly every account, each once to the end');
    for (const [id, n] of secondSessions) assert.equal(n, 2, `account ${id}: two sessions in the resume`);
    assert.deepEqual(scanSnapshot(new FindingsStore(fileStore(join(dir, 'findings.json')))), expected, 'the same accounts and findings as the uninterrupted scan');
    assert.deepEqual(await createBulkStore(progressDir).unfinished(), [], 'the record is removed once every account is done');
    const trail = await createAuditTrail({ dir: join(dir, 'audit'), actor: async () => 'unused' }).verify();
    assert.ok(trail.ok, `the audit trail written by both processes verifies: ${trail.problem ?? ''}`);
    console.log(`killed after ${recorded.length} recorded (${savedFirst.size} saved, ${firstSessions.size} sessioned); resumed ${secondSessions.size}`);
  });
});
