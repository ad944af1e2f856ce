// The running sandbox: current state and the start-up seed to reset to, faults, the request log, a
// virtual clock offset (for expiring sessions without waiting), page tokens, and the registry of
// every credential it has issued (kept across resets so tests can look for leaks).
import { createHmac, randomBytes } from 'node:crypto';
import type { Runtime } from './context';
import { TrailStore } from './cloudTrail';
import { Faults } from './faults';
import { randomAccessKeyId, randomSecretKey, randomSessionToken } from './ids';
import { RequestLog } from './requestLog';
import { loadSeed } from './seed';
import type { CredentialOwner, CredentialRec, SandboxState } from './state';
import { DEFAULT_REGION, type FaultConfig, type SeedOrg } from './types';

export interface IssuedCredential {
  source: 'AssumeRoot' | 'AssumeRole';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  issuedAt: string;
  expiration: string;
}

export class Sandbox implements Runtime {
  readonly region = DEFAULT_REGION;
  readonly log = new RequestLog();
  readonly faults: Faults;
  readonly issued: IssuedCredential[] = [];
  readonly trail = new TrailStore();
  state: SandboxState;
  clockOffsetMs = 0;
  /**
   * How far the `Date` header of AWS responses is from the real time: a server clock the
   * extension's clock-skew detection compares with. Separate from clockOffsetMs, which moves
   * expiry checks and would otherwise skew every test that expires sessions.
   */
  dateHeaderOffsetMs = 0;
  /** IAM Identity Center access tokens `aws sso login` would have cached (see sso.ts). */
  readonly ssoTokens = new Map<string, { expiresAt: Date; user: string }>();
  private readonly initialSeed: SeedOrg;
  private readonly initialFaults: FaultConfig;
  private readonly tokenKey = randomBytes(32);
  private base = '';

  constructor(seed: SeedOrg, faults: FaultConfig = {}) {
    this.initialSeed = seed;
    this.state = loadSeed(seed, this.region);
    this.initialFaults = structuredClone(faults);
    this.faults = new Faults(faults);
  }

  setEndpoint(url: string): void {
    this.base = url;
  }

  endpoint(): string {
    return this.base;
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Back to the start: the start-up seed, no sessions, empty log, start-up faults, real time. */
  reset(): void {
    this.state = loadSeed(this.initialSeed, this.region);
    this.log.clear();
    this.trail.clear();
    this.faults.set(this.initialFaults);
    this.clockOffsetMs = 0;
    this.dateHeaderOffsetMs = 0;
    this.ssoTokens.clear();
  }

  /** Replaces the organization until the next reset (a bad seed leaves the current one in place). */
  load(seed: SeedOrg): void {
    this.state = loadSeed(seed, this.region);
    this.log.clear();
  }

  issue(owner: CredentialOwner, expiration: Date): CredentialRec {
    const cred: CredentialRec = {
      accessKeyId: randomAccessKeyId('ASIA'),
      secret: randomSecretKey(),
      sessionToken: randomSessionToken(),
      expiration,
      owner,
    };
    this.state.credentials.set(cred.accessKeyId, cred);
    this.issued.push({
      source: owner.type === 'root-session' ? 'AssumeRoot' : 'AssumeRole',
      accessKeyId: cred.accessKeyId,
      secretAccessKey: cred.secret,
      sessionToken: cred.sessionToken!,
      accountId: owner.accountId,
      issuedAt: this.now().toISOString(),
      expiration: expiration.toISOString(),
    });
    return cred;
  }

  private mac(scope: string, offset: number): string {
    return createHmac('sha256', this.tokenKey).update(`${scope}|${offset}`).digest('base64url').slice(0, 22);
  }

  pageToken(scope: string, offset: number): string {
    return Buffer.from(`${offset}.${this.mac(scope, offset)}`).toString('base64url');
  }

  readPageToken(scope: string, token: string): number | undefined {
    const [offsetText, mac] = Buffer.from(token, 'base64url').toString('utf8').split('.');
    const offset = Number(offsetText);
    if (!Number.isInteger(offset) || offset < 0 || mac !== this.mac(scope, offset)) return undefined;
    return offset;
  }

  cloudTrailDelayMs(): number {
    return this.faults.cloudTrailDelayMs();
  }

  emptyPage(): boolean {
    return this.faults.emptyPage();
  }
}
