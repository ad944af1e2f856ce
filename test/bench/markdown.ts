// bench.md: how and where it was measured, the table, and notes that define every floor and
// extrapolation and, for each missed target, say what limits it and what would fix it.
import { DEFAULT_QUOTAS } from '../../src/core/awsQuotas';
import { OLD_DEFAULTS } from './orgScale';
import type { BenchResults, BundlePart, Row } from './results';
import { TARGETS } from './rows';
import { LAZY_CODE } from './stage';
import { count, figure, kib, ms, sec, show } from './stats';

export const REPRODUCE = 'npm run bench';

export function renderMarkdown(r: BenchResults, rows: Row[]): string {
  const m = r.machine;
  const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const loaded = Math.max(...r.loadAverages.start, ...r.loadAverages.end) > m.cores;
  const lines = [
    `Measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpuModel}, **${m.cores} cores** (os.cpus()), ${m.memoryGiB} GiB, Node ${m.node}, ${r.cli.version ?? 'no AWS CLI'}; ` +
      `whole run ${(r.seconds / 60).toFixed(1)} min. Load average (1/5/15 min) at the start ${loads(r.loadAverages.start)}, at the end ${loads(r.loadAverages.end)}` +
      (loaded ? ' — **a loaded machine**: it is shared with other engineers\' test runs, so timings include waiting for a core.' : '.'),
    '',
    'Every figure is the **median** of the runs in its row, with [min–max]; ratios are taken run by run (run *i* of one side with run *i* of the other) and then summarized the same way. The sandbox runs in its own process with the injected latency and throttling given in each row. KB = 1,024 bytes.',
    '',
    '| § | Measure | Root Tasks | Today (AWS CLI) | Ratio | Target | Met | Runs | Machine |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((x) => `| ${[x.section, x.measure, x.value, x.baseline, x.ratio, x.target, x.met === undefined ? '—' : x.met ? '✅ yes' : '❌ no', x.runs, x.machine].map(cell).join(' | ')} |`),
    '',
    `Reproduce: \`${REPRODUCE}\` (about ${Math.max(1, Math.round(r.seconds / 60))} min here; \`${REPRODUCE} -- --help\` lists the run counts and sizes). It writes \`.test-output/bench/bench.md\` (this table) and \`bench.json\` (every run). Needs the AWS CLI v1 (\`aws\`) for the CLI columns and the host-tier tools (code-server, Chromium; installed on first use like \`npm test\`) for activation.`,
    '',
    ...notes(r, rows).map((n) => `- ${n}`),
  ];
  return lines.join('\n') + '\n';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function missed(rows: Row[], section: string, measure: RegExp): boolean {
  return rows.some((x) => x.section.startsWith(section) && measure.test(x.measure) && x.met === false);
}

function parts(list: BundlePart[]): string {
  return list.map((p) => `${p.name} ${kib(p.bytes)}`).join(', ');
}

function notes(r: BenchResults, rows: Row[]): string[] {
  const out: string[] = [];
  if (r.activation) {
    const a = r.activation;
    out.push('**Activation**: the production build (`esbuild.js --production`, run by `vsce package`) is staged in `.test-output/bench/extension`; each run starts code-server (VS Code 1.100.3) with fresh user-data, extensions and temp folders and a fresh headless Chromium, and `test/bench/activationProbe.ts`, loaded as the extension host\'s test entry, activates the extension and reads the `activationMs` that `activate()` returns (measured inside it) and the modules that entered the require cache.');
    if (missed(rows, '1.', /main bundle/)) {
      out.push(`**Main bundle over ${kib(TARGETS.mainBundleBytes)}**: largest parts ${parts(a.mainBundleParts)}. The AWS SDK (\`dist/aws.js\`), the flows and the lockout policy analyzer (\`dist/flows.js\`) the TOTP libraries (\`dist/otp.js\`) and the QR image decoders (\`dist/qr.js\`) are already loaded on first use; what is left is the extension's own code (commands, views, audit trail).`);
    }
    out.push('**Bundle split**: the five bundles of `esbuild.js` (`dist/extension.js`, which activation loads; `dist/aws.js`, the AWS SDK; `dist/flows.js`, the flows and the lockout policy analyzer; `dist/otp.js`, otplib; `dist/qr.js`, the QR image decoders) are built again in memory with a metafile, and every input file is checked against what each bundle must not carry: `dist/extension.js` no `@aws-sdk`/`@smithy`, no otplib, no QR decoders, no `src/core/policy` and no `src/flows`; `dist/aws.js` no `src/core/policy`.');
    if (missed(rows, '1.', /bundle split/)) {
      out.push(`**Bundle split broken**: ${a.splitBreaches.map((b) => `\`${b.bundle}\` carries ${LAZY_CODE[b.code].label} through ${b.files.map((f) => `\`${f.file}\``).join(', ')}`).join('; ')}. A static import of one of these from the bundle's code pulls it in; it has to be reached through the lazily required bundle instead (src/services/lazyBundles.ts).`);
    }
    if (missed(rows, '1.', /all bundles/)) {
      const aws = a.result.build.bundles.find((b) => b.file.endsWith('aws.js'));
      const flows = a.result.build.bundles.find((b) => b.file.endsWith('flows.js'));
      out.push(`**All bundles over ${kib(TARGETS.allBundlesBytes)}**: \`dist/flows.js\` (the flows and the lockout policy analyzer) is ${flows ? kib(flows.bytes) : '?'}: ${parts(a.flowsBundleParts)}. \`dist/aws.js\` alone is ${aws ? kib(aws.bytes) : '?'} — five SDK clients (STS, S3, SQS, Organizations, IAM) and the credential providers, already from the SDK's smaller ES build. Its largest parts: ${parts(a.awsBundleParts)}. The SDK's clients carry a schema module with every operation of their service, made tree-shakable by the build (esbuild.js writes their computed keys as strings); code both bundles carry: ${parts(a.sharedParts) || 'none'}. What would fix it: fewer SDK bytes per use (per-service lazy bundles, so an S3 unlock never loads IAM or Organizations), which spreads the bytes over more files rather than removing them.`);
    }
  }
  if (r.orgIndex) {
    const o = r.orgIndex.result;
    const calls = figure(o.runs.map((x) => x.calls)).median;
    const pages = Math.ceil((o.expectedMembers + 1) / 20);
    out.push(`**Organization index**: DescribeOrganization, ListRoots and IAM ListOrganizationsFeatures, then ListOrganizationalUnitsForParent and ListAccountsForParent for every parent, each to its last page (20 items), all through the context limiter at ${o.options.rps} req/s against an Organizations throttle of ${o.options.rps} req/s. Floor = the calls the listing made through the limiter (${count(calls)}; SDK retries of throttled answers not counted) ÷ ${o.options.rps} req/s; the limiter's one-second burst lets a run end up to a second under it. The CLI pages \`list-accounts\` by itself (default retries) and is throttled too. Runs alternate between the two.`);
    if (missed(rows, '2.', /wall time to the full index/)) {
      out.push(`**≥ ${TARGETS.indexSpeedupVsCli}× faster than the CLI is out of reach by construction**: \`list-accounts\` is a flat list (no OU placement) of ${count(pages)} pages, the index is the tree and needs ${count(calls)} calls; at the same throttle both run at their rate floor, so the index would need fewer than half the CLI's calls — impossible with 20-item pages. What would bring the extension level with the CLI for finding an account: list the accounts flat first (ListAccounts, the CLI's ${count(pages)} calls) so search works at once, and place them in OUs after. Raising \`rootTasks.requestsPerSecond\` helps only where the real quota is higher.`);
    }
    const broken = o.runs.filter((x) => !x.complete || x.members !== o.expectedMembers);
    if (broken.length) out.push(`**Incomplete index in ${broken.length} run(s)**: ${broken.map((x) => `${count(x.members)} members, ${x.failedParents} parent(s) failed${x.firstError ? ` (${x.firstError})` : ''}`).join('; ')}. The tree reports the failed parents as errors (nothing is dropped silently), but a full listing under this throttle should not fail.`);
  }
  if (r.scan) {
    const s = r.scan.result;
    const o = s.options;
    out.push(`**Scan**: measured through the product's scan flow, \`scanForLockedPolicies\` (src/flows/scan.ts) in rootSession mode as the scan command calls it, in the environment \`createScanEnv\` (src/flows/env.ts) builds — every root session through the session runner (guardrails, the intent gate, the session registry, one session group), one justification for the scan — with accounts at once = calls in flight = rootTasks.concurrency ${o.concurrency}; ${o.requestsPerSecond > 0 ? `${o.requestsPerSecond} req/s` : 'rate limit off'}; the real audit trail (\`createAuditTrail\`, fsynced, in a temp folder) with the management ARN as actor, the findings store (its globalState in memory), and the organization index listed before the timed runs, as the extension holds it. Per account: AssumeRoot, ListBuckets, ${o.bucketsPerAccount} × GetBucketPolicy, AssumeRoot, ListQueues, ${o.queuesPerAccount} × GetQueueAttributes = ${s.callsPerAccount} calls. Floor = calls × ${o.latencyMs} ms ÷ ${o.concurrency} (the calls in flight), or calls ÷ rate when a rate limit is set and binds. At the former default rootTasks.requestsPerSecond of 10 (one global limiter; §7 has the per-key design) the rate would bind instead: floor = calls ÷ 10 = ${sec((o.accounts * s.callsPerAccount) / 10)}.`);
    if (s.loop.length) {
      out.push(`**Shell loop** (\`test/bench/scripts/scan-loop.sh\`): per account \`aws sts assume-root\` for each task, the credentials exported, \`aws s3api list-buckets\`, \`aws s3api get-bucket-policy\` per bucket, \`aws sqs list-queues\`, \`aws sqs get-queue-attributes\` per queue — ${s.callsPerAccount} CLI processes per account, each a Python start-up. Run on the first ${o.loopAccounts} of the same ${o.accounts} accounts and extrapolated linearly (× ${o.accounts} / ${o.loopAccounts}): every account costs the same calls.`);
    }
    if (missed(rows, '3.', /vs the floor/)) {
      const med = (f: (x: (typeof s.runs)[number]) => number) => figure(s.runs.map(f)).median;
      const client = med((x) => x.clientCpuMs / x.calls);
      const sandbox = med((x) => x.sandboxCpuMs / x.calls);
      const busy = med((x) => x.clientCpuMs / x.ms);
      out.push(`**Scan over its floor**: the floor counts only the injected latency. Each call also costs CPU — ${client.toFixed(1)} ms in the client (the SDK's request pipeline: a new S3 and SQS client per root session, endpoint rules, signing, XML; the analyzer; an fsynced audit event per read) and ${sandbox.toFixed(1)} ms in the sandbox — serial with the ${o.latencyMs} ms inside each of the ${o.concurrency} workers: that alone makes ${((o.latencyMs + client + sandbox) / o.latencyMs).toFixed(2)}× the floor. Waiting for the audit trail's fsyncs, for the client's event loop (busy ${(busy * 100).toFixed(0)}% of the time) and for a core on a shared machine, and the last, partly filled round of ${o.concurrency} accounts make up the rest. What would bring it closer: less CPU per call in the client; a higher rootTasks.concurrency lowers the floor itself.`);
    }
  }
  if (r.unlock) {
    const u = r.unlock.result;
    out.push(`**Unlock**: measured through the product's unlock flow, \`unlockPolicy\` (src/flows/unlock.ts) with the bucket given, in the environment \`createRootFlowEnv\` (src/flows/env.ts) builds: guardrails, the audit gate, AssumeRoot through the session runner, session end, and the real audit trail. The flow reads, analyzes, formats, records the preview, asks, validates, records the decision, re-reads and compares, PutBucketPolicy, re-reads and verifies, records and updates the findings; the person's part is a port that answers "Apply" to the flow's own proposal (the locked policy without its locking statement). The extension's org index, caller ARN and findings store are held before, as in the extension; one untimed warm-up run. Client time = wall time − the sum of the sandbox's own time per request (its log's \`durationMs\`: the ${u.options.latencyMs} ms latency and its handling); the five calls are sequential. The CLI side (\`test/bench/scripts/unlock-cli.sh\`) is assume-root, get-bucket-policy, put-bucket-policy of the same edited document; a person's editing time is in neither.`);
    if (missed(rows, '4.', /client-side/)) {
      const noAudit = figure(u.runs.map((x) => x.clientMs - x.auditMs));
      out.push(`**Client time over ${TARGETS.unlockClientMs} ms**: most of it is waiting for the audit trail's ${u.runs[0]!.auditEvents} fsynced appends (fail-closed by design: each event is durable before the next step); the rest (${show(noAudit, ms)}) is a new S3 client for the root session, signing, S3 endpoint rules and the analyzer, on a loaded machine. Meeting it needs fewer durable writes per unlock (e.g. preview.shown and decision, recorded back to back, in one fsync) and a quieter disk; the AWS side is already at its minimum of ${TARGETS.unlockCalls} calls.`);
    }
  }
  if (r.throughput) {
    out.push(`**Sandbox throughput**: \`test/sandbox/bench-throughput.ts\` (the sandbox's own tool: the sandbox in its own process, pre-signed STS GetCallerIdentity, Organizations DescribeOrganization, S3 ListBuckets and SQS ListQueues, every signature verified, keep-alive sockets) run ${r.throughput.result.runs.length} times; requests per second of the sandbox process's CPU time is the one-core figure. It shows the sandbox is not what the other rows measure.`);
  }
  if (r.orgScale) {
    const g = r.orgScale.result;
    const s = g.scan;
    out.push(`**Org scale at AWS's quotas** (§7): the sandbox runs with \`quotas: true\` (test/sandbox/README.md, *Quotas*: Organizations ${DEFAULT_QUOTAS.organizations}/s per API — a guess, AWS publishes none; STS 600/s per calling account; S3 5,500 reads and 3,500 writes per second per bucket; SQS ${DEFAULT_QUOTAS.sqs}/s and IAM ${DEFAULT_QUOTAS.iam}/s per member account — guesses) and ${g.options.latencyMs} ms per call; the extension at its default settings (${g.defaults.concurrency} calls in flight, no global rate, no per-account ceiling), the settings \`awsSettingsFrom\` gives when nobody set anything. The scan is the product's scan flow as in §3 (the real audit trail on disk, the index listed before, untimed); first findings = the first account's locked or suspected resources in the findings store, which the tree draws from. Floor = max(calls × ${g.options.latencyMs} ms ÷ ${s.inFlight}, the busiest key's calls ÷ its quota); every other key (each member account's S3, SQS) needs at most a few dozen calls at hundreds per second. Today's design is not run at its defaults (one limiter, ${OLD_DEFAULTS.requestsPerSecond} req/s for every call, ${OLD_DEFAULTS.concurrency} in flight): it would take ${sec(s.oldDesignFloorMs / 1000)}, its rate floor. The index: DescribeOrganization (+ ListRoots, IAM features), then ListAccounts (flat, every account findable) beside the tree walk, as OrgService does it; the CLI pages \`list-accounts\` on the same sandbox with fresh buckets, default retries.`);
  }
  if (!r.cli.version) out.push('**Gap**: no AWS CLI (`aws`) on this machine: the CLI columns were not measured.');
  else if (r.cli.assumeRoot === false) out.push(`**Gap**: ${r.cli.version} has no \`sts assume-root\` (\`aws sts assume-root help\` fails), so the shell loop (row 3) and the three-command unlock (row 4) were not run; the CLI's generic path cannot send an operation its models lack.`);
  else if (r.cli.assumeRoot) out.push(`**AWS CLI**: ${r.cli.version} has \`sts assume-root\` (its help answers offline), so the loop and the unlock sequence run as users would write them, against the sandbox via \`--endpoint-url\`, in an isolated environment (temp HOME, config and credentials files; credentials in the environment).`);
  return out;
}
