// Injected faults and load limits: per-call latency, a token-bucket throttle per service, a 5xx
// rate, connection resets and empty Organizations pages. Configurable at start and at run time.
import { AWS_QUOTAS, QuotaBuckets, type QuotaCall, type QuotaRates } from './quotas';
import { seededRandom } from './random';
import { SERVICE_NAMES, type FaultConfig, type PerService, type ServiceName } from './types';

export class FaultConfigError extends Error {}

function isRange(v: unknown): v is { min: number; max: number } {
  return !!v && typeof v === 'object' && typeof (v as { min?: unknown }).min === 'number' && typeof (v as { max?: unknown }).max === 'number';
}

function isPerService(v: unknown): v is PerService<number> {
  return !!v && typeof v === 'object' && Object.keys(v).every((k) => (SERVICE_NAMES as readonly string[]).includes(k));
}

function checkRate(name: string, v: unknown): void {
  const values = typeof v === 'number' ? [v] : isPerService(v) ? Object.values(v) : null;
  if (!values || values.some((x) => typeof x !== 'number' || !(x >= 0 && x <= 1))) {
    throw new FaultConfigError(`${name} must be a probability 0–1, overall or per service`);
  }
}

/** Rejects a malformed fault configuration with a message naming the field. */
function validateFaults(c: FaultConfig): void {
  const known = ['latencyMs', 'throttle', 'quotas', 'errorRate', 'resetRate', 'emptyPageRate', 'seed', 'failTargets', 'cloudTrailDelayMs'];
  for (const k of Object.keys(c)) if (!known.includes(k)) throw new FaultConfigError(`unknown fault setting ${k}`);
  const l = c.latencyMs;
  if (l !== undefined) {
    const ok =
      (typeof l === 'number' && l >= 0) ||
      (isRange(l) && l.min >= 0 && l.min <= l.max) ||
      (isPerService(l) && Object.values(l).every((x) => typeof x === 'number' && x >= 0));
    if (!ok) throw new FaultConfigError('latencyMs must be a number ≥ 0, {min,max} or per service');
  }
  if (c.throttle !== undefined && (!isPerService(c.throttle) || Object.values(c.throttle).some((x) => typeof x !== 'number' || !(x > 0)))) {
    throw new FaultConfigError('throttle must map service names to requests per second > 0');
  }
  if (c.quotas !== undefined && typeof c.quotas !== 'boolean') {
    if (!c.quotas || typeof c.quotas !== 'object') throw new FaultConfigError('quotas must be true, false or an object of rates');
    for (const [k, v] of Object.entries(c.quotas)) {
      if (!(k in AWS_QUOTAS)) throw new FaultConfigError(`unknown quota ${k} (one of ${Object.keys(AWS_QUOTAS).join(', ')})`);
      if (typeof v !== 'number' || !(v > 0)) throw new FaultConfigError(`quota ${k} must be requests per second > 0`);
    }
  }
  if (c.errorRate !== undefined) checkRate('errorRate', c.errorRate);
  if (c.resetRate !== undefined) checkRate('resetRate', c.resetRate);
  if (c.emptyPageRate !== undefined) checkRate('emptyPageRate', c.emptyPageRate);
  if (c.seed !== undefined && !Number.isInteger(c.seed)) throw new FaultConfigError('seed must be an integer');
  if (c.cloudTrailDelayMs !== undefined && !(typeof c.cloudTrailDelayMs === 'number' && c.cloudTrailDelayMs >= 0)) {
    throw new FaultConfigError('cloudTrailDelayMs must be a number ≥ 0');
  }
  if (c.failTargets !== undefined && (!Array.isArray(c.failTargets) || c.failTargets.some((t) => typeof t !== 'string'))) {
    throw new FaultConfigError('failTargets must be a list of target ids');
  }
}

function rateFor(v: number | PerService<number> | undefined, service: ServiceName): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : v[service] ?? 0;
}

export class Faults {
  private config: FaultConfig = {};
  private random: () => number = Math.random;
  private readonly buckets = new Map<ServiceName, { tokens: number; at: number }>();
  private quotaBuckets: QuotaBuckets | undefined;

  constructor(config: FaultConfig = {}) {
    this.set(config);
  }

  set(config: FaultConfig): void {
    validateFaults(config);
    this.config = structuredClone(config);
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
    this.buckets.clear();
    const q = config.quotas;
    this.quotaBuckets = q ? new QuotaBuckets({ ...AWS_QUOTAS, ...(typeof q === 'object' ? q : {}) } as QuotaRates) : undefined;
  }

  /** Over AWS's quota for the call's key (see quotas.ts), when `quotas` is on. */
  overQuota(call: QuotaCall, nowMs: number): boolean {
    return this.quotaBuckets?.throttled(call, nowMs) ?? false;
  }

  get current(): FaultConfig {
    return structuredClone(this.config);
  }

  latencyMs(service: ServiceName): number {
    const l = this.config.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    if (isRange(l)) return l.min + this.random() * (l.max - l.min);
    return (l as PerService<number>)[service] ?? 0;
  }

  shouldReset(service: ServiceName): boolean {
    const p = rateFor(this.config.resetRate, service);
    return p > 0 && this.random() < p;
  }

  shouldFail(service: ServiceName): boolean {
    const p = rateFor(this.config.errorRate, service);
    return p > 0 && this.random() < p;
  }

  /** A permanent failure of one part of the organization (an OU, an account, a bucket). */
  failsTarget(target: string | undefined): boolean {
    return !!target && !!this.config.failTargets?.includes(target);
  }

  /** CloudTrail's delivery delay: how long after a call LookupEvents can see it. */
  cloudTrailDelayMs(): number {
    return this.config.cloudTrailDelayMs ?? 0;
  }

  emptyPage(): boolean {
    const p = this.config.emptyPageRate ?? 0;
    return p > 0 && this.random() < p;
  }

  /** Token bucket: `rps` tokens per second, burst of one second's worth. True when over the limit. */
  throttled(service: ServiceName, nowMs: number): boolean {
    const rps = this.config.throttle?.[service];
    if (!rps) return false;
    const b = this.buckets.get(service) ?? { tokens: rps, at: nowMs };
    b.tokens = Math.min(rps, b.tokens + ((nowMs - b.at) / 1000) * rps);
    b.at = nowMs;
    this.buckets.set(service, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  }
}
