// A deterministic generator of large organizations: nested OUs, member accounts with buckets and
// queues (some locked, in every lockout shape, some only hiding from the scan role), some accounts
// with root credentials, both centralized-root-access features on. Same options → same seed.
import { seededRandom } from './random';
import { LOCKING_SHAPES, shapedPolicy, type PolicyShape } from './lockouts';
import { DEFAULT_REGION, type AccountStateName, type GenerateOptions, type SeedAccount, type SeedCredentials, type SeedOrg, type SeedOu } from './types';

const TOP_OUS = ['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Policy Staging'];
const TEAMS = ['payments', 'search', 'ledger', 'identity', 'media', 'mobile', 'data', 'ml', 'edge', 'billing', 'growth', 'ops'];
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const MAX_DEPTH = 5;

interface OuNode {
  seed: SeedOu;
  depth: number;
}

export function generateOrg(opts: GenerateOptions): SeedOrg {
  const n = Math.max(0, Math.floor(opts.accounts));
  const ouCount = Math.max(1, Math.floor(opts.ous ?? Math.max(1, Math.round(n / 20))));
  const buckets = opts.bucketsPerAccount ?? 3;
  const queues = opts.queuesPerAccount ?? 2;
  const seedValue = opts.seed ?? 1;
  const rand = seededRandom(seedValue);
  const chars = (alphabet: string, len: number) => Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  const idBase = 200_000_000_000 + (seedValue % 1000) * 100_000_000;
  const managementId = String(idBase);

  const nodes: OuNode[] = [];
  const roots: SeedOu[] = [];
  for (let i = 0; i < ouCount; i++) {
    const name = i < TOP_OUS.length ? TOP_OUS[i]! : `${TEAMS[i % TEAMS.length]}-${i}`;
    const ou: SeedOu = { name, ous: [], accounts: [] };
    const candidates = nodes.filter((x) => x.depth < MAX_DEPTH);
    if (i < TOP_OUS.length || !candidates.length) {
      roots.push(ou);
      nodes.push({ seed: ou, depth: 1 });
    } else {
      const parent = candidates[Math.floor(rand() * candidates.length)]!;
      parent.seed.ous!.push(ou);
      nodes.push({ seed: ou, depth: parent.depth + 1 });
    }
  }

  const underRoot: SeedAccount[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(idBase + 1 + i);
    const team = TEAMS[i % TEAMS.length]!;
    const account: SeedAccount = { id, name: `${team}-${i % 3 === 0 ? 'prod' : 'dev'}-${i + 1}`, state: accountState(rand()) };
    const root = rootCredentials(rand, chars, id);
    if (root) account.root = root;
    account.buckets = Array.from({ length: buckets }, (_, j) => {
      const name = `${team}-${id}-b${j}`;
      const shape = pickShape(rand());
      return shape ? { name, policy: shapedPolicy(shape, 's3', `arn:aws:s3:::${name}`, id) } : { name };
    });
    account.queues = Array.from({ length: queues }, (_, j) => {
      const name = `${team}-q${j}`;
      const shape = pickShape(rand());
      const arn = `arn:aws:sqs:${DEFAULT_REGION}:${id}:${name}`;
      return shape ? { name, policy: shapedPolicy(shape, 'sqs', arn, id) } : { name };
    });
    if (rand() < 0.02) underRoot.push(account);
    else nodes[Math.floor(rand() * nodes.length)]!.seed.accounts!.push(account);
  }

  return {
    organization: { rootCredentialsManagement: true, rootSessions: true, trustedAccessForIam: true },
    management: {
      id: managementId,
      name: 'Management',
      root: { password: true, mfaDevices: [{ serialNumber: `arn:aws:iam::${managementId}:mfa/root-account-mfa-device`, totpSeed: chars(UPPER, 32) }] },
      user: { userName: 'sandbox-admin', accessKeyId: `AKIA${chars(UPPER, 16)}`, secretAccessKey: chars(SECRET, 40) },
    },
    ous: roots,
    accounts: underRoot,
  };
}

function accountState(r: number): AccountStateName {
  if (r < 0.01) return 'SUSPENDED';
  if (r < 0.015) return 'PENDING_CLOSURE';
  return 'ACTIVE';
}

/** ~60% no policy, ~22% harmless, ~14% locking (every shape), ~4% hidden from the scan role. */
function pickShape(r: number): PolicyShape | undefined {
  if (r < 0.6) return undefined;
  if (r < 0.82) return 'fine';
  if (r < 0.96) return LOCKING_SHAPES[Math.floor(((r - 0.82) / 0.14) * LOCKING_SHAPES.length)]!;
  return 'suspected';
}

/** About a third of accounts still have some root credential. */
function rootCredentials(rand: () => number, chars: (a: string, n: number) => string, id: string): SeedCredentials | undefined {
  if (rand() >= 0.33) return undefined;
  const c: SeedCredentials = {};
  if (rand() < 0.7) c.password = true;
  if (rand() < 0.35) c.accessKeys = [{ accessKeyId: `AKIA${chars(UPPER, 16)}`, lastUsed: { date: '2024-06-01T12:00:00Z', service: 's3', region: 'us-east-1' } }];
  if (rand() < 0.25) c.signingCertificates = [{ certificateId: chars(UPPER, 32) }];
  if (rand() < 0.4) c.mfaDevices = [{ serialNumber: `arn:aws:iam::${id}:mfa/root-account-mfa-device` }];
  return Object.keys(c).length ? c : { password: true };
}
