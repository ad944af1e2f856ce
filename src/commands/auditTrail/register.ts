import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { combinedPort, createAuditTrail, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PENDING, keyValueHeadStore, SinkController, type AuditTrail, type BatchDestination, type SinkConfig, type SinkStatus } from '../../core/audit';
import { attachAuditChannel } from '../../views/auditLogChannel';
import { AuditStatusItem } from '../../views/auditLogStatus';
import type { Log } from '../../services/log';
import { inspectSetting, readAwsSettings } from '../../services/settings';
import { auditSettingsFrom } from '../../services/settingValues';
import { acknowledgeAuditDamage, exportAuditLog, openAuditLogFile, verifyAuditLog } from './logCommands';
import { CURRENT_SECRET, PREVIOUS_SECRET, readSinkSecrets, setAuditSinkSecret } from './sinkSecret';
import { registerCommand } from '../command';

// Every audit setting is read from user/machine settings only: a workspace must not redirect the
// trail, trust another CA, or loosen the gate.
const audit = () => auditSettingsFrom(inspectSetting, { maxPending: DEFAULT_MAX_PENDING, maxFileBytes: DEFAULT_MAX_FILE_BYTES });
const sinkUrl = () => audit().sinkUrl;
const caFile = () => audit().caFile;
const strictAck = () => audit().strictAck;
const maxPending = () => audit().maxPending;
const maxFileBytes = () => audit().maxFileBytes;
const WATCHED = ['sinkUrl', 'caFile', 'strictAck', 'maxPending', 'maxFileBytes', 'format', 'sinkPreset', 'cloudWatchLogs.logGroup', 'cloudWatchLogs.logStream', 's3.bucket', 's3.prefix', 's3.retentionMode', 's3.retentionDays'];
const CLOUDWATCH = ['cloudWatchLogs.logGroup', 'cloudWatchLogs.logStream', 'format'];
const S3 = ['s3.bucket', 's3.prefix', 's3.retentionMode', 's3.retentionDays', 'format'];
const CHAIN_HEAD_KEY = 'rootTasks.audit.chainHead';

/**
 * The audit feature: the trail in globalStorage/audit, its output channel, delivery to the sink
 * configured in settings (restarted when URL, CA or secrets change), the status bar item and the
 * commands. Synchronous; delivery starts in the background. `actor` gives the caller identity ARN
 * of the management credentials (called once per event: it should answer from a cache).
 */
export interface AuditFeature extends AuditTrail {
  /** Delivery state of the remote sink, for the setup check and the status bar. */
  sinkStatus(): SinkStatus;
  /** Whether the sink must acknowledge the intent before AssumeRoot. */
  strictAck(): boolean;
  /**
   * The trail a window reload builds: the same folder and the same head in secret storage, none
   * of this window's memory (the host tests check what a reload detects with it).
   */
  reopened(): AuditTrail;
  /** Delivery state of each further destination (CloudWatch Logs, S3 with Object Lock), configured or not. */
  destinationStatuses(): SinkStatus[];
  /** Any destination's new delivery status (the webhook's or a further one's). */
  onDidChangeDestinationStatus: vscode.Event<SinkStatus>;
}

/** Builds the destinations that live in the AWS bundle (loaded on first send). */
export interface DestinationFactories {
  cloudWatchLogs(target: { logGroup: string; logStream: string }): BatchDestination;
  objectLock(target: { bucket: string; prefix: string; mode: 'COMPLIANCE' | 'GOVERNANCE'; retentionDays: number }, format: 'native' | 'ocsf'): BatchDestination;
}

export function register(context: vscode.ExtensionContext, log: Log, actor: () => Promise<string> | string, factories?: DestinationFactories): AuditFeature {
  const dir = vscode.Uri.joinPath(context.globalStorageUri, 'audit').fsPath;
  const channel = vscode.window.createOutputChannel('AWS Root Tasks: Audit', { log: true });
  const status = new AuditStatusItem();
  const sink = new SinkController({ dir, logHead: async () => (await trail.head()).seq, onStatus: (s) => report(s) });
  // Each destination has its own worker and cursor; the gate counts an event delivered once all have it.
  const cloudWatch = new SinkController({ dir, logHead: async () => (await trail.head()).seq, onStatus: (s) => report(s) });
  const objectLock = new SinkController({ dir, logHead: async () => (await trail.head()).seq, onStatus: (s) => report(s) });
  const destinations = [sink, cloudWatch, objectLock];
  // The chain's head is also kept in secret storage (outside the log folder, per machine): a log
  // whose newest events or whole folder were deleted no longer reaches it, and is reported.
  const headStore = keyValueHeadStore(context.secrets, CHAIN_HEAD_KEY);
  const onHeadStoreError = (err: unknown) => log.warn('audit', `the audit chain head could not be kept in secret storage: ${err instanceof Error ? err.message : String(err)}`);
  const trail = createAuditTrail({ dir, actor, maxFileBytes, delivery: () => combinedPort(destinations), strictAck, maxPending, headStore, onHeadStoreError });

  // Each destination's last status, by its label, for the transitions below.
  const previousBySink = new Map<string, SinkStatus>();
  const statusChanged = new vscode.EventEmitter<SinkStatus>();
  const report = (s: SinkStatus) => {
    status.update(destinations.map((d) => d.status()));
    statusChanged.fire(s);
    if (!s.configured) return;
    const previous = previousBySink.get(s.sink) ?? { configured: false };
    // The main log gets transitions only, not one line per batch.
    if (s.configured && s.state === 'failing' && (!previous.configured || previous.state !== 'failing' || previous.lastError !== s.lastError)) {
      log.warn('audit', `delivery to ${s.sink} failing (${s.pending} pending): ${s.lastError}`);
    } else if (s.configured && previous.configured && previous.state === 'failing' && s.state !== 'failing' && s.state !== 'stopped') {
      log.info('audit', `delivery to ${s.sink} recovered`);
    }
    previousBySink.set(s.sink, s);
  };

  let secrets: Promise<string[]> | undefined;
  const configure = async () => {
    const url = sinkUrl();
    if (!url) return sink.configure(undefined);
    const config: SinkConfig = { url, format: audit().format, preset: audit().sinkPreset, hecHost: hostname(), secrets: () => (secrets ??= readSinkSecrets(context.secrets)) };
    if (caFile()) {
      try {
        config.caPem = await fsp.readFile(caFile(), 'utf8');
        if (!config.caPem.includes('-----BEGIN CERTIFICATE-----')) config.caError = 'The audit CA file (rootTasks.audit.caFile) holds no PEM certificate.';
      } catch (err) {
        config.caError = `The audit CA file (rootTasks.audit.caFile) could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`;
      }
    }
    return sink.configure(config);
  };
  const configureCloudWatch = () => {
    const { logGroup, logStream, format } = audit();
    if (!logGroup || !factories) return cloudWatch.configureDestination(undefined);
    const { region, endpoint } = readAwsSettings();
    return cloudWatch.configureDestination({
      label: `CloudWatch Logs ${logGroup}/${logStream}`,
      // The cursor names the destination: another region or endpoint is another log group.
      cursorKey: `cloudwatch-logs:${endpoint ?? ''}:${region}:${logGroup}:${logStream}`,
      destination: factories.cloudWatchLogs({ logGroup, logStream }),
      format,
      // Well within PutLogEvents' limits (10,000 events, 1 MiB); the destination splits further if needed.
      batchMaxEvents: 500,
      batchMaxBytes: 512 * 1024,
    });
  };
  const reconfigureCloudWatch = () => void configureCloudWatch().catch((err) => log.error('audit', `CloudWatch Logs destination set-up failed: ${err instanceof Error ? err.message : String(err)}`));
  const configureObjectLock = () => {
    const { s3Bucket, s3Prefix, s3RetentionMode, s3RetentionDays, format } = audit();
    if (!s3Bucket || !factories) return objectLock.configureDestination(undefined);
    const { endpoint } = readAwsSettings();
    return objectLock.configureDestination({
      label: `S3 ${s3Bucket}${s3Prefix ? `/${s3Prefix}` : ''} (Object Lock ${s3RetentionMode}, ${s3RetentionDays} days)`,
      cursorKey: `s3-object-lock:${endpoint ?? ''}:${s3Bucket}:${s3Prefix}`,
      destination: factories.objectLock({ bucket: s3Bucket, prefix: s3Prefix, mode: s3RetentionMode, retentionDays: s3RetentionDays }, format),
      format,
      batchMaxEvents: 1000,
      batchMaxBytes: 4 * 1024 * 1024,
    });
  };
  const reconfigureObjectLock = () => void configureObjectLock().catch((err) => log.error('audit', `S3 Object Lock destination set-up failed: ${err instanceof Error ? err.message : String(err)}`));
  const reconfigure = () => void configure().catch((err) => log.error('audit', `audit sink set-up failed: ${err instanceof Error ? err.message : String(err)}`));
  const recordChange = (setting: string, value: string | number | boolean) =>
    void trail.record({ kind: 'settings.changed', detail: { setting: `rootTasks.audit.${setting}`, value } })
      .catch((err) => log.error('audit', `could not record a settings change: ${err instanceof Error ? err.message : String(err)}`));

  context.subscriptions.push(
    channel,
    status,
    statusChanged,
    attachAuditChannel(trail, channel),
    trail.onDidRecord((e) => {
      sink.notify(e.seq);
      cloudWatch.notify(e.seq);
      objectLock.notify(e.seq);
    }),
    { dispose: () => void sink.dispose() },
    { dispose: () => void cloudWatch.dispose() },
    { dispose: () => void objectLock.dispose() },
    context.secrets.onDidChange((e) => {
      if (e.key !== CURRENT_SECRET && e.key !== PREVIOUS_SECRET) return;
      secrets = undefined;
      sink.port()?.retryNow();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rootTasks.region') || e.affectsConfiguration('rootTasks.endpointUrl')) {
        reconfigureCloudWatch();
        reconfigureObjectLock();
      }
      const changed = WATCHED.filter((k) => e.affectsConfiguration(`rootTasks.audit.${k}`));
      if (!changed.length) return;
      // Recorded with the sink's origin only: a path or query could carry a token.
      const values: Record<string, () => string | number | boolean> = {
        sinkUrl: () => { try { return new URL(sinkUrl()).origin; } catch { return sinkUrl() ? 'invalid' : 'none'; } },
        caFile: () => (caFile() ? 'set' : 'none'),
        strictAck,
        maxPending,
        maxFileBytes,
        format: () => audit().format,
        sinkPreset: () => audit().sinkPreset,
        'cloudWatchLogs.logGroup': () => audit().logGroup || 'none',
        'cloudWatchLogs.logStream': () => audit().logStream,
        's3.bucket': () => audit().s3Bucket || 'none',
        's3.prefix': () => audit().s3Prefix,
        's3.retentionMode': () => audit().s3RetentionMode,
        's3.retentionDays': () => audit().s3RetentionDays,
      };
      for (const k of changed) recordChange(k, values[k]!());
      if (changed.includes('sinkUrl') || changed.includes('caFile') || changed.includes('format') || changed.includes('sinkPreset')) reconfigure();
      if (changed.some((k) => CLOUDWATCH.includes(k))) reconfigureCloudWatch();
      if (changed.some((k) => S3.includes(k))) reconfigureObjectLock();
    }),
    registerCommand(log, 'rootTasks.showAuditLog', () => channel.show(true)),
    registerCommand(log, 'rootTasks.verifyAuditLog', () => verifyAuditLog(trail, log)),
    registerCommand(log, 'rootTasks.exportAuditLog', (uri) => exportAuditLog(trail, log, uri instanceof vscode.Uri ? uri : undefined)),
    registerCommand(log, 'rootTasks.setAuditSinkSecret', (args) => setAuditSinkSecret(context.secrets, trail, args as Parameters<typeof setAuditSinkSecret>[2], audit().sinkPreset)),
    registerCommand(log, 'rootTasks.openAuditLogFile', () => openAuditLogFile(trail)),
    registerCommand(log, 'rootTasks.acknowledgeAuditDamage', (args) => acknowledgeAuditDamage(trail, log, args)),
  );
  reconfigure();
  reconfigureCloudWatch();
  reconfigureObjectLock();
  const reopened = () => createAuditTrail({ dir, actor, maxFileBytes, strictAck, maxPending, headStore, onHeadStoreError });
  return Object.assign(trail, { sinkStatus: () => sink.status(), strictAck, reopened, destinationStatuses: () => [cloudWatch.status(), objectLock.status()], onDidChangeDestinationStatus: statusChanged.event });
}
