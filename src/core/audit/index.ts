// The audit trail's public surface: what the root-task flows, the TOTP feature and the views use.
export type { AuditKind, AuditInput, AuditEvent, AuditOutcome, ChainAnchor } from './types';
export { AUDIT_KINDS, GENESIS_HASH } from './types';
export { AuditGateError, AuditWriteError, AuditInputError, type AuditRefusal } from './errors';
export { createAuditTrail, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PENDING, type AuditTrail, type AuditTrailOptions } from './trail';
export { SinkController, combinedPort, type DeliveryPort, type DestinationConfig, type SinkConfig, type SinkStatus } from './sinkController';
export { DeliveryWorker, type BatchDestination, type DeliveryStatus, type DestinationResult } from './delivery';
export { formatAuditLine, auditLevel, type AuditLevel } from './format';
export { secretKey } from './webhookSignature';
export { parseSinkUrl } from './httpsTransport';
export { sha256Hex } from './hash';
export { keyValueHeadStore, type HeadStore } from './headStore';
export { toOcsf, OCSF_VERSION, type AuditFormat } from './ocsf';
