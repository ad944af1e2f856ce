// What an operation handler sees: the state, the authenticated caller, the request's region and
// clock, and the runtime services it may use (issuing credentials, page tokens, fault dice).
import type { ConditionContext } from './policyConditions';
import type { TrailStore } from './cloudTrail';
import type { RequestPrincipal } from './policyEval';
import type { CredentialOwner, CredentialRec, RoleRec, SandboxState, UserRec } from './state';
import type { ServiceName } from './types';

export interface Caller {
  principal: RequestPrincipal;
  accessKeyId: string;
  /** aws:userid: AIDA… for users, AROA…:session for role sessions, the account id for root. */
  userId: string;
  credential: CredentialRec;
  /** The IAM user or root user behind a long-term key. */
  user?: UserRec;
  /** The role behind a role session. */
  role?: RoleRec;
  /** For root sessions: the task policy ARN. */
  taskPolicyArn?: string;
}

export interface Runtime {
  readonly region: string;
  endpoint(): string;
  now(): Date;
  /** Creates and registers temporary credentials (ASIA…) for a session. */
  issue(owner: CredentialOwner, expiration: Date): CredentialRec;
  /** Opaque, tamper-evident pagination tokens bound to an operation and its scope. */
  pageToken(scope: string, offset: number): string;
  readPageToken(scope: string, token: string): number | undefined;
  /** CloudTrail's event history (LookupEvents) and its delivery delay. */
  readonly trail: TrailStore;
  cloudTrailDelayMs(): number;
  /** Dice for Organizations' configurable empty pages. */
  emptyPage(): boolean;
}

export interface CallContext {
  runtime: Runtime;
  state: SandboxState;
  caller: Caller;
  service: ServiceName;
  operation: string;
  /** Region from the request's credential scope. */
  region: string;
  requestId: string;
  now: Date;
  sourceIp: string;
  /** Resource the call acted on, for the request log. */
  target?: string;
  /** Extra facts for the request log (e.g. the task policy and key id AssumeRoot issued). */
  logDetail?: Record<string, string>;
  /** Memoized base condition keys (see authz.ts). */
  conditionKeys?: ConditionContext;
}
