// @carloop/ledger — the verifiable log: RFC 6962/9162 Merkle trees and proofs, the Go sumdb/tlog
// stored-hash layout, C2SP signed notes, checkpoints, tiles and tlog-proof, and history bundles.
// Pure TypeScript, browser-safe.

export { Base64Error, decodeBase64, decodeBase64Exact, encodeBase64 } from './base64.ts';
export { bytesEqual, bytesFromHex, hexFromBytes } from './bytes.ts';
export { CanonicalJsonError, canonicalBytes, canonicalize, type JsonValue } from './canonical-json.ts';
export {
  type Checkpoint,
  CheckpointError,
  formatCheckpoint,
  type OpenedCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.ts';
export {
  type BuiltEnvelope,
  buildEnvelope,
  ENVELOPE_VERSION,
  EnvelopeError,
  type EnvelopeInput,
  type EventEnvelope,
  generateSalt,
  MIN_SALT_SIZE,
  parseEnvelope,
  payloadCommitment,
  type SubjectRef,
  validateEnvelope,
} from './envelope.ts';
export {
  assembleHistoryBundle,
  formatVerificationReport,
  HISTORY_BUNDLE_FORMAT,
  type HistoryBundle,
  type HistoryBundleEvent,
  type HistoryBundleEventInput,
  type HistoryCheckName,
  type HistoryVerification,
  type VerificationCheck,
  type VerificationFailure,
  type VerifiedEvent,
  verifyHistoryBundle,
} from './history-bundle.ts';
export { emptyRoot, HASH_SIZE, leafHash, nodeHash, rootFromLeafHashes } from './merkle.ts';
export { consistencyProof, inclusionProof, MerkleTree } from './proofs.ts';
export {
  ED25519_SIGNATURE_TYPE,
  formatKeyId,
  generateSignerKey,
  isValidKeyName,
  NoteError,
  type NoteErrorCode,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  noteKeyId,
  type OpenedNote,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  sameVerifierKey,
  signNote,
} from './signed-note.ts';
export {
  indexesForProveRecord,
  indexesForProveTree,
  indexesForStoredHashes,
  indexesForTreeHash,
  MAX_STORED_TREE_SIZE,
  proveRecord,
  proveRecordFromHashes,
  proveTree,
  proveTreeFromHashes,
  type ReadHashes,
  type StoredHash,
  type StoredHashPosition,
  splitStoredHashIndex,
  storedHashCount,
  storedHashesForRecord,
  storedHashesFromHashes,
  storedHashIndex,
  treeHash,
  treeHashFromHashes,
} from './stored-hashes.ts';
export {
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  encodeHashTile,
  encodeTileIndex,
  entryBundlePath,
  MAX_ENTRY_SIZE,
  parseEntryBundlePath,
  parseTilePath,
  partialTileWidth,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileCoordinates,
  TileError,
  tileHashesIndexes,
  tilePath,
} from './tiles.ts';
export {
  decodeTlogProof,
  encodeTlogProof,
  TLOG_PROOF_HEADER,
  type TlogProof,
  TlogProofError,
  verifyTlogProof,
} from './tlog-proof.ts';
export { type FrontierAppend, frontierIndexes, TreeFrontier } from './tree-frontier.ts';
export { MAX_TREE_SIZE } from './tree-math.ts';
export {
  isValidConsistencyProof,
  isValidInclusionProof,
  ProofError,
  type ProofErrorReason,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './verify.ts';
