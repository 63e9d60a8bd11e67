/**
 * Inclusion proofs against the log the ingest built: generated from the database, then verified as a
 * client would (RFC 9162 §2.1.3.2) against the root of the latest signed checkpoint.
 *
 * Two ways to generate: `proveInclusion`, the service call behind GET /ledger/proofs/inclusion (one
 * proof per call, five queries each), and a batch path that serves many proofs from one read of the
 * stored hashes they need — the way a proof server or tile cache answers a burst. The batch path and
 * verification run on one thread and then on one worker thread per core, each with its own connection
 * (SQLite in WAL mode and PostgreSQL both serve concurrent readers).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  decodeBase64,
  indexesForProveRecord,
  openCheckpoint,
  proveRecordFromHashes,
  storedHashIndex,
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
  proofBatchSize: number;
  threads: number;
  /** Batch path on every core: proofs generated per second. */
  proofsPerSec: number;
  /** `verifyInclusion` on every core, of proofs generated above. */
  verifiesPerSec: number;
  proofsPerSecOneThread: number;
  verifiesPerSecOneThread: number;
  /** `proveInclusion`, one call per proof, one thread. */
  serviceProofsPerSec: number;
  serviceProofs: number;
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

/**
 * Proofs for `seqs` in a tree of `size`: one read of every stored hash they need — the path's
 * subtree hashes and the leaf hash itself, which the tlog layout stores at level 0 — then the paths.
 */
export async function proveBatch(db: Db, size: number, seqs: number[]): Promise<GeneratedProof[]> {
  const needed = seqs.map((seq) => indexesForProveRecord(size, seq));
  const leafIndexes = seqs.map((seq) => storedHashIndex(0, seq));
  const unique = [...new Set([...needed.flat(), ...leafIndexes])].sort((a, b) => a - b);
  const read = await repo.readHashes(db.kysely, unique);
  const byIndex = new Map<number, Uint8Array>();
  for (let i = 0; i < unique.length; i++) byIndex.set(unique[i]!, read[i]!);
  return seqs.map((seq, i) => ({
    seq,
    leafHash: byIndex.get(leafIndexes[i]!)!,
    proof: proveRecordFromHashes(
      size,
      seq,
      needed[i]!.map((index) => byIndex.get(index)!),
    ),
  }));
}

export async function generateProofs(
  db: Db,
  size: number,
  seqs: number[],
  batchSize: number,
): Promise<GeneratedProof[]> {
  const out: GeneratedProof[] = [];
  for (let i = 0; i < seqs.length; i += batchSize) {
    out.push(...(await proveBatch(db, size, seqs.slice(i, i + batchSize))));
  }
  return out;
}

/** A few untimed rounds, so the timed ones measure compiled code rather than the JIT's first pass. */
export async function warmUp(db: Db, size: number, root: Uint8Array, batchSize: number): Promise<void> {
  for (let round = 0; round < 3; round++) {
    verifyProofs(
      await generateProofs(db, size, sampleSeqs(batchSize, size, 100 + round), batchSize),
      size,
      root,
    );
  }
}

/** Throws on the first proof that does not lead to `root`. */
export function verifyProofs(proofs: readonly GeneratedProof[], size: number, root: Uint8Array): void {
  for (const p of proofs) verifyInclusion(p.seq, size, p.leafHash, p.proof, root);
}

// Worker threads do not inherit tsx's loader hooks: the worker loads its TypeScript through tsx's API.
const workerBootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) =>
  tsImport(${JSON.stringify(new URL('./proof-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Generation and verification of `seqs`, split over `threads` workers started together. */
async function inWorkers(
  location: string,
  size: number,
  root: Uint8Array,
  seqs: number[],
  batchSize: number,
  threads: number,
): Promise<{ generateSeconds: number; verifySeconds: number }> {
  const share = Math.ceil(seqs.length / threads);
  const workers = Array.from(
    { length: threads },
    (_, i) =>
      new Worker(workerBootstrap, {
        eval: true,
        workerData: { location, size, root, seqs: seqs.slice(i * share, (i + 1) * share), batchSize },
      }),
  );
  const failed = new Promise<never>((_, reject) => {
    for (const worker of workers) {
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error(`proof worker exited with ${code}`)));
    }
  });
  const replies = workers.map((worker) => {
    const queue: Array<(value: unknown) => void> = [];
    worker.on('message', (message) => queue.shift()?.(message));
    return () => new Promise((resolve) => queue.push(resolve));
  });
  // Each command goes to every worker at once; the phase ends when the last one answers.
  const all = (command?: string) =>
    Promise.race([
      failed,
      Promise.all(
        workers.map((worker, i) => {
          const reply = replies[i]!();
          if (command) worker.postMessage(command);
          return reply;
        }),
      ),
    ]);
  await all(); // each worker has opened its connection
  let started = process.hrtime.bigint();
  await all('generate');
  const generateSeconds = seconds(started);
  started = process.hrtime.bigint();
  await all('verify');
  const verifySeconds = seconds(started);
  await Promise.all(workers.map((worker) => worker.terminate()));
  return { generateSeconds, verifySeconds };
}

export async function measureProofs(
  db: Db,
  location: string,
  options: { proofs: number; serviceProofs: number; batchSize: number; threads?: number },
): Promise<ProofResults> {
  const checkpoint = await currentCheckpoint(db);
  // The verifier trusts a root only from a checkpoint that carries the log's signature.
  const root = openCheckpoint(checkpoint.note, checkpoint.vkey).rootHash;
  const size = checkpoint.size;
  const threads = options.threads ?? availableParallelism();

  const seqs = sampleSeqs(options.proofs, size);
  await warmUp(db, size, root, options.batchSize);
  let started = process.hrtime.bigint();
  const generated = await generateProofs(db, size, seqs, options.batchSize);
  const generateSeconds = seconds(started);
  started = process.hrtime.bigint();
  verifyProofs(generated, size, root);
  const verifySeconds = seconds(started);

  const parallel = await inWorkers(
    location,
    size,
    root,
    sampleSeqs(options.proofs, size, 3),
    options.batchSize,
    threads,
  );

  const serviceSeqs = sampleSeqs(options.serviceProofs, size, 2);
  started = process.hrtime.bigint();
  const viaService = [];
  for (const seq of serviceSeqs) viaService.push(await proveInclusion(db, seq));
  const serviceSeconds = seconds(started);
  // The service's proofs must verify too (not timed).
  for (const p of viaService) {
    verifyInclusion(p.leafIndex, p.treeSize, decodeBase64(p.leafHash), p.proof.map(decodeBase64), root);
  }

  return {
    treeSize: size,
    proofBatchSize: options.batchSize,
    threads,
    proofsPerSec: options.proofs / parallel.generateSeconds,
    verifiesPerSec: options.proofs / parallel.verifySeconds,
    proofsPerSecOneThread: generated.length / generateSeconds,
    verifiesPerSecOneThread: generated.length / verifySeconds,
    serviceProofsPerSec: viaService.length / serviceSeconds,
    serviceProofs: viaService.length,
    proofsVerified: 2 * options.proofs + viaService.length,
    meanProofHashes: generated.reduce((n, p) => n + p.proof.length, 0) / Math.max(1, generated.length),
  };
}
