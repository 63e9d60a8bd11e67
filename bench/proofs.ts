/**
 * Inclusion proofs against the log the ingest built: generated from the database, then verified as a
 * client would (RFC 9162 §2.1.3.2) against the root of the latest signed checkpoint.
 *
 * Two ways to generate: `proveInclusion`, the service call behind GET /ledger/proofs/inclusion (one
 * proof per call, five queries each), and a batch path that serves many proofs from one read of
 * the stored hashes they need — the way a proof server or tile cache would answer a burst.
 */
import {
  decodeBase64,
  indexesForProveRecord,
  openCheckpoint,
  proveRecordFromHashes,
  verifyInclusion,
} from '@carloop/ledger';
import type { Db } from '../apps/server/src/db/database.ts';
import { currentCheckpoint, proveInclusion } from '../apps/server/src/modules/ledger/index.ts';
import * as repo from '../apps/server/src/modules/ledger/ledger.repository.ts';

export interface GeneratedProof {
  seq: number;
  leafHash: Uint8Array;
  proof: Uint8Array[];
}

export interface ProofResults {
  treeSize: number;
  /** Batch path: proofs generated per second. */
  proofsPerSec: number;
  proofBatchSize: number;
  /** `proveInclusion`, one call per proof. */
  serviceProofsPerSec: number;
  serviceProofs: number;
  /** `verifyInclusion` of every generated proof against the checkpoint's root. */
  verifiesPerSec: number;
  proofsVerified: number;
  meanProofHashes: number;
}

/** Deterministic leaf positions spread over the whole tree (a 32-bit LCG; same on every run). */
export function sampleSeqs(count: number, size: number, seed = 1): number[] {
  let state = seed >>> 0;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = Math.floor((state / 2 ** 32) * size);
  }
  return out;
}

/** Proofs for `seqs` in a tree of `size`: one read of every stored hash they need, then the paths. */
export async function proveBatch(db: Db, size: number, seqs: number[]): Promise<GeneratedProof[]> {
  const needed = seqs.map((seq) => indexesForProveRecord(size, seq));
  const unique = [...new Set(needed.flat())].sort((a, b) => a - b);
  const read = await repo.readHashes(db.kysely, unique);
  const byIndex = new Map<number, Uint8Array>();
  for (let i = 0; i < unique.length; i++) byIndex.set(unique[i]!, read[i]!);
  const leaves = await leafHashesOf(db, seqs);
  return seqs.map((seq, i) => ({
    seq,
    leafHash: leaves.get(seq)!,
    proof: proveRecordFromHashes(
      size,
      seq,
      needed[i]!.map((index) => byIndex.get(index)!),
    ),
  }));
}

async function leafHashesOf(db: Db, seqs: number[]): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += 1000) {
    const rows = await db.kysely
      .selectFrom('log_entries')
      .select(['seq', 'leaf_hash'])
      .where('seq', 'in', sorted.slice(i, i + 1000))
      .execute();
    for (const row of rows) out.set(Number(row.seq), new Uint8Array(row.leaf_hash));
  }
  return out;
}

export async function measureProofs(
  db: Db,
  options: { proofs: number; serviceProofs: number; batchSize: number },
): Promise<ProofResults> {
  const checkpoint = await currentCheckpoint(db);
  // The verifier trusts a root only from a checkpoint that carries the log's signature.
  const root = openCheckpoint(checkpoint.note, checkpoint.vkey).rootHash;
  const size = checkpoint.size;

  const seqs = sampleSeqs(options.proofs, size);
  const generated: GeneratedProof[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < seqs.length; i += options.batchSize) {
    generated.push(...(await proveBatch(db, size, seqs.slice(i, i + options.batchSize))));
  }
  const generateSeconds = seconds(started);

  const verifyStarted = process.hrtime.bigint();
  for (const p of generated) verifyInclusion(p.seq, size, p.leafHash, p.proof, root);
  const verifySeconds = seconds(verifyStarted);

  const serviceSeqs = sampleSeqs(options.serviceProofs, size, 2);
  const serviceStarted = process.hrtime.bigint();
  const viaService = [];
  for (const seq of serviceSeqs) viaService.push(await proveInclusion(db, seq));
  const serviceSeconds = seconds(serviceStarted);
  // The service's proofs must verify too (and are not timed).
  for (const p of viaService) {
    verifyInclusion(p.leafIndex, p.treeSize, decodeBase64(p.leafHash), p.proof.map(decodeBase64), root);
  }

  return {
    treeSize: size,
    proofsPerSec: generated.length / generateSeconds,
    proofBatchSize: options.batchSize,
    serviceProofsPerSec: viaService.length / serviceSeconds,
    serviceProofs: viaService.length,
    verifiesPerSec: generated.length / verifySeconds,
    proofsVerified: generated.length + viaService.length,
    meanProofHashes: generated.reduce((n, p) => n + p.proof.length, 0) / Math.max(1, generated.length),
  };
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
