// A real local HTTPS webhook receiver for the audit delivery tests: TLS with a certificate made
// by the openssl CLI at test time, Standard Webhooks signature checks (implemented here on its
// own, not with the extension's signer), de-duplication by event id, and injectable faults.
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../sandbox/random';

export interface ReceivedEvent {
  id: string;
  seq: number;
  hash: string;
  prevHash: string;
  [field: string]: unknown;
}

export interface ReceiverFaults {
  /** Fraction of requests answered with a 5xx (half of them after storing the events). */
  errorRate?: number;
  /** Fraction of requests whose response is held back for stallMs (events stored or not). */
  stallRate?: number;
  stallMs?: number;
  /** Fraction of requests whose connection is destroyed after the body arrived. */
  resetRate?: number;
  /** Bodies larger than this get 413. */
  maxBodyBytes?: number;
}

export interface ReceiverStats {
  requests: number;
  duplicates: number;
  badSignatures: number;
  /** An id seen again with different content (must never happen). */
  conflicts: number;
  /** A webhook-id seen again with a different body (a retry must be the same message). */
  messageConflicts: number;
  /** Requests after a failed one (5xx, reset, stall) that were not the same message again. */
  changedRetries: number;
  errors: number;
  stalls: number;
  resets: number;
  tooLarge: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly caPem: string;
  readonly caFile: string;
  /** Unique events in order of first arrival. */
  events(): ReceivedEvent[];
  /** The OCSF events received as sent (format ocsf), duplicates included. */
  ocsf(): object[];
  readonly stats: ReceiverStats;
  /** Requests currently held by a stall. */
  readonly stalledNow: number;
  setFaults(faults: ReceiverFaults): void;
  setSecrets(secrets: string[]): void;
  /** Closes the port (connection refused) and drops open connections. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const TOLERANCE_SECONDS = 300;

export async function startWebhookReceiver(options: { secrets: string[]; seed?: number }): Promise<WebhookReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-receiver-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE',
  ], { stdio: 'ignore' });
  const caPem = readFileSync(caFile, 'utf8');

  let secrets = options.secrets;
  let faults: ReceiverFaults = {};
  const random = seededRandom(options.seed ?? 1);
  const unique: ReceivedEvent[] = [];
  /** Every OCSF event received (duplicates included), as sent. */
  const ocsf: object[] = [];
  const byId = new Map<string, string>();
  const stats: ReceiverStats = {
    requests: 0, duplicates: 0, badSignatures: 0, conflicts: 0, messageConflicts: 0, changedRetries: 0, errors: 0, stalls: 0, resets: 0, tooLarge: 0,
  };
  // What a receiver that de-duplicates by webhook-id would see: each id's body, and the id of
  // the last request that failed (the next request should send it again).
  const bodies = new Map<string, string>();
  let failedId: string | undefined;
  const stallTimers = new Set<NodeJS.Timeout>();

  const store = (body: Buffer) => {
    const received = (JSON.parse(body.toString('utf8')) as { data: { events: Array<ReceivedEvent | { raw_data: string }> } }).data.events;
    for (const r of received) {
      // An OCSF event carries the native one as its raw_data: the chain is checked on that.
      const e = 'raw_data' in r ? (JSON.parse(r.raw_data as string) as ReceivedEvent) : (r as ReceivedEvent);
      if ('raw_data' in r) ocsf.push(r);
      const content = JSON.stringify(e);
      const seen = byId.get(e.id);
      if (seen === undefined) {
        byId.set(e.id, content);
        unique.push(e);
      } else {
        stats.duplicates++;
        if (seen !== content) stats.conflicts++;
      }
    }
  };

  const server = https.createServer({ key: readFileSync(keyFile), cert: caPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const body = Buffer.concat(chunks);
      if (!verifySignature(req.headers, body, secrets)) {
        stats.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      const digest = createHash('sha256').update(body).digest('hex');
      if (bodies.has(id) && bodies.get(id) !== digest) stats.messageConflicts++;
      bodies.set(id, digest);
      if (failedId !== undefined && failedId !== id) stats.changedRetries++;
      failedId = undefined;
      if (faults.maxBodyBytes !== undefined && body.length > faults.maxBodyBytes) {
        stats.tooLarge++;
        res.writeHead(413).end();
        return;
      }
      const storeFirst = random() < 0.5;
      if (random() < (faults.resetRate ?? 0)) {
        stats.resets++;
        failedId = id;
        if (storeFirst) store(body);
        req.socket.destroy();
        return;
      }
      if (random() < (faults.errorRate ?? 0)) {
        stats.errors++;
        failedId = id;
        if (storeFirst) store(body);
        res.writeHead([500, 502, 503][stats.errors % 3]!).end();
        return;
      }
      if (random() < (faults.stallRate ?? 0)) {
        stats.stalls++;
        // The tests stall for longer than the client waits: the client gives up and retries.
        failedId = id;
        if (storeFirst) store(body);
        const timer = setTimeout(() => {
          stallTimers.delete(timer);
          if (!storeFirst) store(body);
          if (!res.destroyed) res.writeHead(200).end();
        }, faults.stallMs ?? 5000);
        stallTimers.add(timer);
        return;
      }
      store(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });

  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}/audit`;

  return {
    url,
    caPem,
    caFile,
    stats,
    events: () => [...unique],
    ocsf: () => [...ocsf],
    get stalledNow() {
      return stallTimers.size;
    },
    setFaults: (f) => (faults = f),
    setSecrets: (s) => (secrets = s),
    async down() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    up: () => listen(server, port),
    async waitFor(predicate, timeoutMs = 20_000) {
      const started = Date.now();
      while (!predicate()) {
        if (Date.now() - started > timeoutMs) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${unique.length} events, ${JSON.stringify(stats)})`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const timer of stallTimers) clearTimeout(timer);
      stallTimers.clear();
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listen(server: https.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Standard Webhooks verification: any v1 signature by any accepted secret, timestamp within 5 min. */
function verifySignature(headers: Record<string, string | string[] | undefined>, body: Buffer, secrets: string[]): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > TOLERANCE_SECONDS) return false;
  const offered = signatures.split(' ').filter((s) => s.startsWith('v1,')).map((s) => Buffer.from(s.slice(3)));
  return secrets.some((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64'));
    return offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected));
  });
}

/**
 * Checks what arrived against the chain independently of the extension's code: unique events
 * are seq 1..n in order of first arrival, each hash is SHA-256 of the event's sorted-key JSON
 * without `hash`, and each prevHash is the hash before it. Returns a problem or undefined.
 */
export function chainProblem(events: ReceivedEvent[], expectedCount: number): string | undefined {
  if (events.length !== expectedCount) return `${events.length} unique events arrived, expected ${expectedCount}`;
  let prev = '0'.repeat(64);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== i + 1) return `arrival ${i + 1} is seq ${e.seq}`;
    if (e.prevHash !== prev) return `seq ${e.seq}: prevHash does not link`;
    const rest: Record<string, unknown> = { ...e };
    delete rest.hash;
    if (createHash('sha256').update(sortedJson(rest)).digest('hex') !== e.hash) return `seq ${e.seq}: hash does not match`;
    prev = e.hash;
  }
  return undefined;
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k])}`).join(',')}}`;
}

