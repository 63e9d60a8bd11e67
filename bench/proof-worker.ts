/**
 * One proof thread of the benchmark: its own connection, its share of the leaves. Answers each
 * command from the main thread when done: ready → `generate` → `verify`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { type GeneratedProof, generateProofs, verifyProofs, warmUp } from './proofs.ts';

const { location, size, root, seqs, batchSize } = workerData as {
  location: string;
  size: number;
  root: Uint8Array;
  seqs: number[];
  batchSize: number;
};

const db = await openDatabase(location, { migrate: false });
await warmUp(db, size, root, batchSize);
let proofs: GeneratedProof[] = [];
parentPort!.on('message', async (command: string) => {
  if (command === 'generate') proofs = await generateProofs(db, size, seqs, batchSize);
  if (command === 'verify') verifyProofs(proofs, size, root);
  parentPort!.postMessage(command);
});
parentPort!.postMessage('ready');
