// The table: one row per figure, each with its target (issue 8), whether it was met, how many runs
// it is the median of, and the machine and load it was measured under. Ratios are pair by pair.
import { isLazyBundle, isSdkModule } from './activation';
import { machineCell } from './machine';
import type { BenchResults, Row, Section } from './results';
import { LAZY_CODE } from './stage';
import { DEFAULT_QUOTAS } from '../../src/core/awsQuotas';
import { OLD_DEFAULTS as OLD } from './orgScale';
import { count, figure, kib, ms, pairRatios, sec, show, times, type Figure } from './stats';

export const TARGETS = {
  activationMs: 15,
  mainBundleBytes: 150 * 1024,
  allBundlesBytes: 600 * 1024,
  vsixBytes: 300 * 1024,
  indexOverFloor: 1.15,
  indexSpeedupVsCli: 2,
  firstLevelRoundTrips: 3,
  scanSpeedupVsLoop: 20,
  scanOverFloor: 1.2,
  unlockCalls: 5,
  unlockClientMs: 10,
  sandboxRps: 2000,
  scaleScanOverFloor: 1.25,
  firstFindingMs: 2000,
  flatOverCli: 1.1,
  treeOverFloor: 1.1,
};

type Cells = Omit<Row, 'section' | 'machine'>;

const DEFAULT_ORG_RATE = DEFAULT_QUOTAS.organizations;

export function buildRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const add = (section: string, s: Section<unknown>, cells: Cells[]) => {
    for (const c of cells) rows.push({ section, machine: machineCell(r.machine.cores, s.load), ...c });
  };
  if (r.activation) add('1. Activation', r.activation, activationRows(r.activation));
  if (r.orgIndex) add('2. Organization index', r.orgIndex, orgIndexRows(r.orgIndex));
  if (r.scan) add('3. Locked-policy scan', r.scan, scanRows(r.scan));
  if (r.unlock) add('4. Unlock flow', r.unlock, unlockRows(r.unlock));
  if (r.throughput) add('5. Sandbox throughput', r.throughput, throughputRows(r.throughput));
  if (r.guardrails) add('6. Organization guardrails', r.guardrails, guardrailRows(r.guardrails));
  if (r.orgScale) add("7. Org scale at AWS's quotas", r.orgScale, orgScaleRows(r.orgScale));
  return rows;
}

const none = { baseline: '—', ratio: '—' };
const median = (f: Figure) => f.median;

function activationRows({ result, splitBreaches }: NonNullable<BenchResults['activation']>): Cells[] {
  const n = `${result.runs.length} fresh workbench loads`;
  const act = figure(result.runs.map((x) => x.activationMs));
  const modules = [...new Set(result.runs.flatMap((x) => x.modules))];
  const sdk = modules.filter(isSdkModule);
  const lazy = modules.filter(isLazyBundle);
  const [main, ...rest] = result.build.bundles;
  const all = result.build.bundles.reduce((s, b) => s + b.bytes, 0);
  const breaches = splitBreaches.map((b) => `\`${b.bundle}\` carries ${LAZY_CODE[b.code].label} (${b.files.slice(0, 3).map((f) => `\`${f.file}\` ${kib(f.bytes)}`).join(', ')}${b.files.length > 3 ? `, +${b.files.length - 3} files` : ''})`);
  return [
    { measure: '`activate()` in the extension host', value: show(act, ms), ...none, target: `≤ ${TARGETS.activationMs} ms`, met: act.median <= TARGETS.activationMs, runs: n },
    { measure: 'loading `dist/extension.js` + `activate()`', value: show(figure(result.runs.map((x) => x.wallMs)), ms), ...none, target: '—', met: undefined, runs: n },
    { measure: 'modules loaded at activation', value: `${modules.length}: ${modules.map((m) => `\`${m}\``).join(', ')}; SDK modules: ${sdk.length}; lazy bundles (\`dist/aws.js\`, \`dist/flows.js\`, \`dist/otp.js\`, \`dist/qr.js\`): ${lazy.length}`, ...none, target: 'no SDK, no lazy bundle', met: sdk.length === 0 && lazy.length === 0, runs: n },
    {
      measure: 'bundle split (esbuild.js): `dist/extension.js` carries no AWS SDK, no otplib, no lockout policy analyzer (`src/core/policy`) and no flows (`src/flows`); `dist/aws.js` no analyzer (it is in `dist/flows.js`)',
      value: breaches.length ? breaches.join('; ') : 'holds: none of them in either bundle', ...none, target: 'holds', met: breaches.length === 0, runs: '1 build',
    },
    { measure: `main bundle \`${main!.file}\` (production)`, value: kib(main!.bytes), ...none, target: `≤ ${kib(TARGETS.mainBundleBytes)}`, met: main!.bytes <= TARGETS.mainBundleBytes, runs: '1 build' },
    { measure: `all bundles (\`${[main!, ...rest].map((b) => b.file).join('` + `')}\`)`, value: kib(all), ...none, target: `≤ ${kib(TARGETS.allBundlesBytes)}`, met: all <= TARGETS.allBundlesBytes, runs: '1 build' },
    { measure: 'VSIX', value: kib(result.build.vsix.bytes), ...none, target: `≤ ${kib(TARGETS.vsixBytes)}`, met: result.build.vsix.bytes <= TARGETS.vsixBytes, runs: '1 build' },
  ];
}

function orgIndexRows({ result }: NonNullable<BenchResults['orgIndex']>): Cells[] {
  const o = result.options;
  const ext = result.runs.map((x) => x.ms / 1000);
  const cli = result.cli.filter((x) => x.code === 0).map((x) => x.ms / 1000);
  const floor = figure(result.runs.map((x) => x.floorMs / 1000));
  const overFloor = pairRatios(ext, floor.values);
  const runs = `${result.runs.length} + ${result.cli.length} CLI`;
  const found = result.runs.map((x) => x.members);
  const allFound = result.runs.every((x) => x.members === result.expectedMembers && x.complete);
  const cells: Cells[] = [
    {
      measure: `wall time to the full index (${count(o.accounts)} accounts / ${o.ous} OUs, ${o.latencyMs} ms per call, throttle ${o.rps} req/s; extension at ${o.rps} req/s, ${o.concurrency} in flight) vs \`aws organizations list-accounts\``,
      value: show(figure(ext), sec), baseline: cli.length ? show(figure(cli), sec) : 'CLI failed',
      ratio: cli.length ? `CLI ÷ extension: ${show(pairRatios(cli, ext), times)}` : '—',
      target: `≥ ${TARGETS.indexSpeedupVsCli}× faster than the CLI`,
      met: cli.length ? pairRatios(cli, ext).median >= TARGETS.indexSpeedupVsCli : false, runs,
    },
    {
      measure: `vs the rate floor (calls ÷ ${o.rps} req/s = ${show(floor, sec)})`,
      value: show(figure(ext), sec), ...none, ratio: `extension ÷ floor: ${show(overFloor, times)}`,
      target: `≤ ${TARGETS.indexOverFloor}× the floor`, met: overFloor.median <= TARGETS.indexOverFloor, runs: `${result.runs.length}`,
    },
    {
      measure: 'member accounts found (of the generated organization)',
      value: `${show(figure(found), count)} of ${count(result.expectedMembers)}${allFound ? ', index complete in every run' : `; incomplete runs: ${result.runs.filter((x) => !x.complete).length} (${result.runs.map((x) => x.firstError).filter(Boolean)[0] ?? 'no error reported'})`}`,
      baseline: result.cli.length ? `${show(figure(result.cli.map((x) => x.members)), count)} (flat list, no OU placement)` : '—',
      ratio: '—', target: `all ${count(result.expectedMembers)}`, met: allFound, runs,
    },
    {
      measure: `first tree level after opening the view (the organization, its root, the first page of the root's children): round trips (calls started after the previous ones ended) and time`,
      value: `${show(figure(result.runs.map((x) => x.firstLevelRoundTrips)), count)} round trips, ${show(figure(result.runs.map((x) => x.firstLevelMs / 1000)), sec)}`,
      ...none, target: `≤ ${TARGETS.firstLevelRoundTrips} round trips`,
      met: result.runs.every((x) => x.firstLevelRoundTrips <= TARGETS.firstLevelRoundTrips), runs: `${result.runs.length}`,
    },
    {
      measure: 'AWS calls the listing needs (throttled answers retried)',
      value: `${show(figure(result.runs.map((x) => x.calls)), count)} (throttled: ${show(figure(result.runs.map((x) => x.throttled)), count)})`,
      baseline: result.cli.length ? `${show(figure(result.cli.map((x) => x.requests - x.throttled)), count)} pages (throttled: ${show(figure(result.cli.map((x) => x.throttled)), count)})` : '—',
      ratio: '—', target: '—', met: undefined, runs,
    },
  ];
  return cells;
}

function scanRows({ result }: NonNullable<BenchResults['scan']>): Cells[] {
  const o = result.options;
  const ext = result.runs.map((x) => x.ms / 1000);
  const loop = result.loop.filter((x) => x.code === 0);
  const extrapolated = loop.map((x) => x.extrapolatedMs / 1000);
  const overFloor = pairRatios(ext, result.runs.map((x) => x.floorMs / 1000));
  const rate = o.requestsPerSecond > 0 ? `${o.requestsPerSecond} req/s` : 'no rate limit';
  const runs = `${result.runs.length} + ${result.loop.length} loop`;
  const perCall = loop.map((x) => x.ms / 1000 / x.cliCalls);
  return [
    {
      measure: `${o.accounts} accounts × ${o.bucketsPerAccount} buckets + ${o.queuesPerAccount} queues, ${o.latencyMs} ms per call: extension (rootSession, ${o.concurrency} in flight, ${rate}, audit trail on disk) vs the shell loop, run on ${o.loopAccounts} accounts and extrapolated ×${(o.accounts / Math.max(1, o.loopAccounts)).toFixed(0)}`,
      value: show(figure(ext), sec),
      baseline: loop.length ? `${show(figure(extrapolated), sec)} (measured ${show(figure(loop.map((x) => x.ms / 1000)), sec)} for ${o.loopAccounts})` : 'loop not run',
      ratio: loop.length ? `loop ÷ extension: ${show(pairRatios(extrapolated, ext), times)}` : '—',
      target: `≥ ${TARGETS.scanSpeedupVsLoop}× faster than the loop`,
      met: loop.length ? pairRatios(extrapolated, ext).median >= TARGETS.scanSpeedupVsLoop : undefined, runs,
    },
    {
      measure: `vs the floor (calls × ${o.latencyMs} ms ÷ ${o.concurrency}${o.requestsPerSecond > 0 ? `, or calls ÷ ${o.requestsPerSecond} req/s if larger` : ''} = ${show(figure(result.runs.map((x) => x.floorMs / 1000)), sec)})`,
      value: show(figure(ext), sec), ...none, ratio: `extension ÷ floor: ${show(overFloor, times)}`,
      target: `≤ ${TARGETS.scanOverFloor}× the floor`, met: overFloor.median <= TARGETS.scanOverFloor, runs: `${result.runs.length}`,
    },
    {
      measure: 'CPU time during the scan: client (this process) + sandbox process',
      value: `${show(figure(result.runs.map((x) => x.clientCpuMs / 1000)), sec)} + ${show(figure(result.runs.map((x) => x.sandboxCpuMs / 1000)), sec)}`,
      ...none, target: '—', met: undefined, runs: `${result.runs.length}`,
    },
    {
      measure: 'calls, accounts failed, locked resources found, audit events written (per run)',
      value: `${show(figure(result.runs.map((x) => x.calls)), count)} calls (${result.callsPerAccount} per account), ${Math.max(...result.runs.map((x) => x.failedAccounts))} failed, ${show(figure(result.runs.map((x) => x.locked)), count)} locked, ${show(figure(result.runs.map((x) => x.auditEvents)), count)} events`,
      baseline: loop.length ? `${show(figure(loop.map((x) => x.cliCalls)), count)} CLI calls for ${o.loopAccounts} accounts, ${show(figure(perCall), sec)} per call` : '—',
      ratio: '—', target: `${result.callsPerAccount} calls per account, none failed`,
      met: result.runs.every((x) => x.failedAccounts === 0 && x.calls === x.accounts * result.callsPerAccount), runs,
    },
  ];
}

function unlockRows({ result }: NonNullable<BenchResults['unlock']>): Cells[] {
  const o = result.options;
  const cli = result.cli.filter((x) => x.code === 0);
  const calls = Math.max(...result.runs.map((x) => x.operations.length));
  const client = figure(result.runs.map((x) => x.clientMs));
  const audit = figure(result.runs.map((x) => x.auditMs));
  const wall = result.runs.map((x) => x.wallMs / 1000);
  const runs = `${result.runs.length} + ${result.cli.length} CLI`;
  return [
    {
      measure: 'AWS calls per unlock (sandbox request log)',
      value: `${calls}: ${result.runs[0]!.operations.join(' → ')}`,
      baseline: cli.length ? `${cli[0]!.operations.length}: ${cli[0]!.operations.join(' → ')}` : '—',
      ratio: '—', target: `≤ ${TARGETS.unlockCalls}`, met: calls <= TARGETS.unlockCalls && result.runs.every((x) => x.stored), runs,
    },
    {
      measure: `client-side time per unlock (wall − the sandbox's time per request, which holds its ${o.latencyMs} ms latency)`,
      value: `${show(client, ms)}, of which audit trail (${result.runs[0]!.auditEvents} fsynced events): ${show(audit, ms)}; without it: ${show(figure(result.runs.map((x) => x.clientMs - x.auditMs)), ms)}`,
      ...none, target: `≤ ${TARGETS.unlockClientMs} ms`, met: client.median <= TARGETS.unlockClientMs, runs: `${result.runs.length}`,
    },
    {
      measure: `wall time per unlock through the product's unlock flow (src/flows/unlock.ts; ${o.latencyMs} ms per call) vs \`assume-root\` + \`get-bucket-policy\` + \`put-bucket-policy\``,
      value: show(figure(wall), sec), baseline: cli.length ? show(figure(cli.map((x) => x.ms / 1000)), sec) : 'CLI failed',
      ratio: cli.length ? `CLI ÷ extension: ${show(pairRatios(cli.map((x) => x.ms / 1000), wall), times)}` : '—',
      target: '—', met: undefined, runs,
    },
  ];
}

function throughputRows({ result }: NonNullable<BenchResults['throughput']>): Cells[] {
  const o = result.options;
  const perCore = figure(result.runs.map((x) => x.cpuRps));
  const runs = `${result.runs.length} × ${o.seconds} s`;
  const failed = result.runs.reduce((s, x) => s + x.failed, 0);
  return [
    { measure: `simple requests per second of sandbox CPU (one core), ${o.concurrency} in flight, no injected latency`, value: show(perCore, count), ...none, target: `≥ ${count(TARGETS.sandboxRps)}`, met: median(perCore) >= TARGETS.sandboxRps && failed === 0, runs },
    { measure: 'simple requests per second of wall clock (client and sandbox share the cores)', value: `${show(figure(result.runs.map((x) => x.wallRps)), count)}; not 200: ${failed}`, ...none, target: '—', met: undefined, runs },
  ];
}

function guardrailRows({ result }: NonNullable<BenchResults['guardrails']>): Cells[] {
  const o = result.options;
  const runs = `${result.runs.length} + 1 small`;
  const calls = figure(result.runs.map((x) => x.calls));
  const small = result.small[0];
  const constant = !!small && result.runs.every((x) => x.calls === small.calls && x.sandboxCalls === x.calls);
  const first = result.runs[0];
  return [
    {
      measure: `AWS calls to read the SCPs and RCPs once (${count(o.accounts)} accounts / ${o.ous} OUs / ${o.policies} custom policies + FullAWSAccess and RCPFullAWSAccess), vs the same policies on ${count(o.smallAccounts)} accounts`,
      value: `${show(calls, count)} calls (sandbox saw ${show(figure(result.runs.map((x) => x.sandboxCalls)), count)}), read in ${show(figure(result.runs.map((x) => x.readMs / 1000)), sec)}`,
      baseline: small ? `${count(small.calls)} calls for ${count(small.accounts)} accounts` : '—', ratio: '—',
      target: 'does not grow with accounts', met: constant, runs,
    },
    {
      measure: `CPU time to judge every member account × 5 root tasks (${first ? count(first.evaluations) : '?'} verdicts) from the snapshot`,
      value: `${show(figure(result.runs.map((x) => x.evalCpuMs)), ms)} CPU (wall ${show(figure(result.runs.map((x) => x.evalWallMs)), ms)}); ${first ? `${count(first.blocked)} blocked, ${count(first.mayBeBlocked)} may be blocked` : ''}`,
      ...none, target: '—', met: undefined, runs: `${result.runs.length}`,
    },
  ];
}

function orgScaleRows({ result }: NonNullable<BenchResults['orgScale']>): Cells[] {
  const o = result.options;
  const s = result.scan;
  const i = result.index;
  const d = result.defaults;
  const defaults = `defaults: ${d.concurrency} calls in flight, no global rate, no per-account ceiling`;
  const cliOk = result.cli.filter((c) => c.code === 0).map((c) => c.ms / 1000);
  // No CLI run (no \`aws\`, or the scan part only): no CLI figure.
  const cli = cliOk.length ? figure(cliOk) : undefined;
  const flatOverCli = cli && i ? (i.flatMs / 1000) / cli.median : NaN;
  const x = (v: number) => `${v.toFixed(2)}×`;
  return [
    {
      measure: `scan of ${count(o.scanAccounts)} accounts × (${o.bucketsPerAccount} buckets + ${o.queuesPerAccount} queues), ${o.latencyMs} ms per call, sandbox throttling per key as AWS does; extension at its ${defaults}: wall time vs the floor (max of calls × ${o.latencyMs} ms ÷ ${s.inFlight} in flight = ${sec(s.latencyFloorMs / 1000)}, and the busiest key — ${s.busiestKey.key}: ${count(s.busiestKey.calls)} ÷ ${count(s.busiestKey.rate)}/s = ${sec(s.busiestKey.ms / 1000)})`,
      value: sec(s.ms / 1000), baseline: `floor ${sec(s.floorMs / 1000)}`, ratio: `extension ÷ floor: ${x(s.ms / s.floorMs)}`,
      target: `≤ ${TARGETS.scaleScanOverFloor}× the floor`, met: s.ms / s.floorMs <= TARGETS.scaleScanOverFloor, runs: '1',
    },
    {
      measure: `vs today's global-limiter design at its defaults (${OLD.requestsPerSecond} req/s for every call, ${OLD.concurrency} in flight): its floor, computed (calls ÷ ${OLD.requestsPerSecond}/s), not run — it would take over an hour`,
      value: sec(s.ms / 1000), baseline: sec(s.oldDesignFloorMs / 1000), ratio: `today ÷ extension: ${x(s.oldDesignFloorMs / s.ms)}`, target: '—', met: undefined, runs: '1 (computed baseline)',
    },
    {
      measure: 'accounts lost; calls throttled by the sandbox and retried by the limiter (per key); first findings in the store after the start',
      value: `${count(s.lost)} lost of ${count(s.accounts)} (${count(s.failedAccounts)} with errors${s.errors?.length ? `: ${s.errors.map((e) => e.replace(/\|/g, '/').replace(/\n/g, ' ')).join('; ')}` : ''}); ${count(s.calls)} calls, ${count(s.sandboxThrottled)} throttled (limiter saw ${count(s.throttled)}, retried ${count(s.retried)}); first findings at ${ms(s.firstFindingMs)}; CPU client ${sec(s.clientCpuMs / 1000)} + sandbox ${sec(s.sandboxCpuMs / 1000)}`,
      ...none, target: `0 lost; first findings ≤ ${ms(TARGETS.firstFindingMs)}`, met: s.lost === 0 && s.firstFindingMs <= TARGETS.firstFindingMs, runs: '1',
    },
    ...(s.noIndex ? [{
      measure: `the same scan started with no cached index (first scan, or after a profile switch): first findings after the start (DescribeOrganization included), the scan following the tree walk — stopped there`,
      value: `first findings at ${ms(s.noIndex.firstFindingMs)} (${count(s.noIndex.accountsListedAtFirstFinding)} of ${count(s.noIndex.members)} accounts placed by then; whole tree listed at ${sec(s.noIndex.walkMs / 1000)})`,
      ...none, target: `first findings ≤ ${ms(TARGETS.firstFindingMs)}`, met: s.noIndex.firstFindingMs <= TARGETS.firstFindingMs, runs: '1',
    }] : []),
    ...(i ? [
      {
        measure: `organization index of ${count(o.indexAccounts)} accounts / ${o.indexOus} OUs (${o.latencyMs} ms per call, Organizations throttled per API at ${DEFAULT_ORG_RATE}/s): until Go to Account can find any account (the flat list, beside the tree walk) vs \`aws organizations list-accounts\``,
        value: `${sec(i.flatMs / 1000)} (${count(i.flatAccounts)} accounts)`, baseline: cli ? `${show(cli, sec)} (${count(result.cli[0]!.members)} members; ${count(result.cli[0]!.throttled)} throttled)` : '—',
        ratio: cli ? `extension ÷ CLI: ${x(flatOverCli)}` : '—', target: `≤ ${TARGETS.flatOverCli}× the CLI`, met: cli ? flatOverCli <= TARGETS.flatOverCli : undefined, runs: `1 + ${result.cli.length} CLI`,
      },
      {
        measure: `the full tree vs its rate floor (the busiest tree API's calls ÷ ${DEFAULT_ORG_RATE}/s; calls per API: ${Object.entries(i.callsPerApi).map(([k, v]) => `${k} ${v}`).join(', ')})`,
        value: `${sec(i.treeMs / 1000)}; ${count(i.members)} members, ${i.complete ? 'complete' : 'INCOMPLETE'}; ${count(i.throttled)} throttled`, baseline: `floor ${sec(i.treeFloorMs / 1000)}`,
        ratio: `extension ÷ floor: ${x(i.treeMs / i.treeFloorMs)}`, target: `≤ ${TARGETS.treeOverFloor}× the floor`, met: i.complete && i.treeMs / i.treeFloorMs <= TARGETS.treeOverFloor, runs: '1',
      },
    ] : []),
  ];
}
