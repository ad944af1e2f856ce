// A scan in a process of its own, for the kill test (scanKill.sandbox.test.ts): the product's scan
// flow against the sandbox, with everything a real window keeps on disk — the findings (a file in
// place of globalState), the progress record and the audit trail — in the folder it is given.
// `resume` resumes the one unfinished scan found there instead of starting one. Prints
// "scanned N" as accounts finish, and "finished" with the summary at the end.
import { join } from 'node:path';
import { createAwsContext } from '../../../src/aws';
import { createAuditTrail } from '../../../src/core/audit';
import { createBulkStore } from '../../../src/core/bulkProgress';
import { FindingsStore } from '../../../src/core/findings';
import { createScanEnv } from '../../../src/flows/env';
import { resumeScan, scanForLockedPolicies } from '../../../src/flows/scan';
import { listOrganization, plainFlowDeps } from '../../support/flowDeps';
import { fileStore } from './fileStore';

export interface ScanProcessConfig {
  endpoint: string;
  region: string;
  management: { accessKeyId: string; secretAccessKey: string };
  dir: string;
  resume: boolean;
}

async function main(): Promise<void> {
  const c = JSON.parse(process.env.ROOT_TASKS_SCAN_PROCESS ?? '') as ScanProcessConfig;
  const aws = createAwsContext({ region: c.region, endpoint: c.endpoint, requestsPerSecond: 0, concurrency: 4 }, c.management);
  try {
    const index = await listOrganization(aws);
    const audit = createAuditTrail({ dir: join(c.dir, 'audit'), actor: () => aws.callerIdentity().then((i) => i.arn) });
    const findings = new FindingsStore(fileStore(join(c.dir, 'findings.json')));
    const env = { ...createScanEnv(plainFlowDeps(aws, index, audit, { findings })), progressStore: createBulkStore(join(c.dir, 'progress')) };
    const person = { justify: async () => ({ justification: 'quarterly lockout sweep', ticket: 'SEC-16' }), tell: () => undefined, warn: () => undefined };
    const progress = { signal: new AbortController().signal, report: (done: number) => void process.stdout.write(`scanned ${done}\n`) };
    const common = { roleName: 'OrganizationAccountAccessRole', homeRegion: c.region, accountConcurrency: 4 };
    let summary;
    if (c.resume) {
      const [journal] = await env.progressStore.unfinished();
      if (!journal) throw new Error('no unfinished scan to resume');
      summary = await resumeScan(env, person, progress, journal, common);
    } else {
      summary = await scanForLockedPolicies(env, person, progress, { ...common, accounts: index.memberAccounts(), scope: 'the organization', mode: 'rootSession', regions: [] });
    }
    process.stdout.write(`finished ${JSON.stringify({ scanned: summary.scanned, remaining: summary.remaining, resumedDone: summary.resumedDone })}\n`);
  } finally {
    aws.dispose();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
