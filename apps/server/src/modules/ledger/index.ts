export { type AuditReport, auditLog, verifyLogAtStartup } from './ledger.audit.ts';
export {
  batchDigest,
  batchFormat,
  type SignedBatch,
  signBatch,
  signedBatch,
  submitterOfSignedBatch,
} from './ledger.batches.ts';
export { erasePayload, type HistoryEvent, subjectHistory } from './ledger.history.ts';
export { logIdentity } from './ledger.identity.ts';
export {
  entryBundle,
  exportHistory,
  exportPublicHistory,
  hashTile,
  proveConsistency,
  proveInclusion,
} from './ledger.proofs.ts';
export { type ScannedEvent, scanEvents } from './ledger.scan.ts';
export {
  type AppendOptions,
  type AppendResult,
  appendEvents,
  type CheckpointView,
  currentCheckpoint,
  type EventInput,
  eventInput,
  listCheckpoints,
  localSubmitter,
  type Submitter,
} from './ledger.service.ts';
