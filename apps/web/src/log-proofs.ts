// Checks the console runs in the browser on what the server sends, so that nothing it shows about
// the log rests on the server's word: checkpoint signatures, inclusion and consistency proofs.
import {
  decodeBase64,
  type EventEnvelope,
  encodeBase64,
  formatKeyId,
  leafHash,
  openCheckpoint,
  parseEnvelope,
  parseVerifierKey,
  sameVerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '@carloop/ledger';
import type { ConsistencyProofView, InclusionProofView } from './api-types.ts';

export interface ProofStep {
  name: string;
  ok: boolean;
  detail: string;
}

export interface OpenedLogCheckpoint {
  origin: string;
  size: number;
  /** base64 */
  rootHash: string;
  /** "name+keyid" of the key that verified the signature. */
  key: string;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * RFC 9162 / C2SP signed note: the checkpoint's signature under the log's verifier key, and, when
 * given, that this key is the one the reader trusts.
 */
export function openLogCheckpoint(
  note: string,
  vkey: string,
  trustedKey?: string,
): { step: ProofStep; checkpoint?: OpenedLogCheckpoint } {
  const name = 'checkpoint signature 检查点签名';
  try {
    const verifier = parseVerifierKey(vkey);
    if (trustedKey?.trim()) {
      const trusted = parseVerifierKey(trustedKey.trim());
      if (!sameVerifierKey(trusted, verifier))
        return { step: { name, ok: false, detail: 'the log key is not the trusted key' } };
    }
    const opened = openCheckpoint(note, verifier);
    const key = `${verifier.name}+${formatKeyId(verifier.keyId)}`;
    return {
      step: { name, ok: true, detail: `signed by ${key}` },
      checkpoint: { origin: opened.origin, size: opened.size, rootHash: encodeBase64(opened.rootHash), key },
    };
  } catch (error) {
    return { step: { name, ok: false, detail: message(error) } };
  }
}

export interface InclusionCheck {
  ok: boolean;
  steps: ProofStep[];
  envelope?: EventEnvelope;
}

/** RFC 9162 §2.1.3.2: the proven entry is leaf `leafIndex` of the tree the checkpoint signs. */
export function checkInclusion(proof: InclusionProofView, checkpoint: OpenedLogCheckpoint): InclusionCheck {
  const steps: ProofStep[] = [];
  let envelope: EventEnvelope | undefined;
  let entry: Uint8Array | undefined;
  try {
    entry = decodeBase64(proof.entry);
    envelope = parseEnvelope(entry);
    steps.push({
      name: 'entry 日志条目',
      ok: true,
      detail: `${envelope.type} of ${envelope.subject.kind} ${envelope.subject.id}`,
    });
  } catch (error) {
    steps.push({ name: 'entry 日志条目', ok: false, detail: message(error) });
  }
  let leaf: Uint8Array | undefined;
  if (entry) {
    leaf = leafHash(entry);
    const matches = encodeBase64(leaf) === proof.leafHash;
    steps.push({
      name: 'leaf hash 叶哈希',
      ok: matches,
      detail: matches
        ? `SHA-256(0x00 ‖ entry) = ${encodeBase64(leaf)}`
        : `SHA-256(0x00 ‖ entry) is ${encodeBase64(leaf)}, the server said ${proof.leafHash}`,
    });
  }
  if (leaf) {
    const name = 'inclusion proof 包含证明';
    try {
      if (proof.treeSize !== checkpoint.size)
        throw new Error(
          `the proof is for tree size ${proof.treeSize}, the checkpoint has ${checkpoint.size}`,
        );
      verifyInclusion(
        proof.leafIndex,
        checkpoint.size,
        leaf,
        proof.proof.map((hash) => decodeBase64(hash)),
        decodeBase64(checkpoint.rootHash),
      );
      steps.push({
        name,
        ok: true,
        detail: `${proof.proof.length} hashes lead from leaf ${proof.leafIndex} to the signed root of tree size ${checkpoint.size}`,
      });
    } catch (error) {
      steps.push({ name, ok: false, detail: message(error) });
    }
  }
  return { ok: steps.length === 3 && steps.every((s) => s.ok), steps, ...(envelope ? { envelope } : {}) };
}

export interface TreeHead {
  size: number;
  /** base64 */
  rootHash: string;
}

/** RFC 9162 §2.1.4.2: the newer tree extends the older one (the log never rewrote history). */
export function checkConsistency(proof: ConsistencyProofView, older: TreeHead, newer: TreeHead): ProofStep {
  const name = 'consistency 一致性';
  try {
    if (proof.size1 !== older.size || proof.size2 !== newer.size)
      throw new Error(
        `the proof is for sizes ${proof.size1}→${proof.size2}, not ${older.size}→${newer.size}`,
      );
    verifyConsistency(
      older.size,
      newer.size,
      proof.proof.map((hash) => decodeBase64(hash)),
      decodeBase64(older.rootHash),
      decodeBase64(newer.rootHash),
    );
    return { name, ok: true, detail: `tree ${newer.size} extends tree ${older.size}` };
  } catch (error) {
    return { name, ok: false, detail: message(error) };
  }
}
