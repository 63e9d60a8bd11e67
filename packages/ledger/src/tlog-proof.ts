/**
 * c2sp.org/tlog-proof@v1: an offline inclusion proof — header, optional unauthenticated `extra`,
 * leaf index, inclusion path (one base64 hash per line, leaf sibling first), an empty line, then
 * the signed checkpoint verbatim.
 */
import { type Base64Error, decodeBase64, decodeBase64Exact, encodeBase64 } from './base64.ts';
import { type OpenedCheckpoint, openCheckpoint } from './checkpoint.ts';
import { HASH_SIZE } from './merkle.ts';
import type { NoteVerifier } from './signed-note.ts';
import { verifyInclusion } from './verify.ts';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  /** Opaque application data; NOT authenticated by the proof. */
  extra?: Uint8Array;
  index: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim (with log and witness signature lines). */
  checkpoint: string;
}

export class TlogProofError extends Error {
  override readonly name = 'TlogProofError';
}

export function encodeTlogProof({ extra, index, proof, checkpoint }: TlogProof): string {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new TlogProofError(`index ${index} is not a non-negative integer`);
  if (extra !== undefined && extra.length === 0)
    throw new TlogProofError('extra data, when present, must not be empty');
  for (const hash of proof)
    if (hash.length !== HASH_SIZE) throw new TlogProofError(`proof hash is not ${HASH_SIZE} bytes`);
  if (checkpoint === '' || checkpoint.startsWith('\n')) throw new TlogProofError('checkpoint is empty');
  const lines = [TLOG_PROOF_HEADER];
  if (extra !== undefined) lines.push(`extra ${encodeBase64(extra)}`);
  lines.push(`index ${index}`, ...proof.map(encodeBase64), '');
  return `${lines.join('\n')}\n${checkpoint}`;
}

/** Takes the next line (without its newline) from `text` at `offset`. */
function takeLine(text: string, offset: number, what: string): { line: string; next: number } {
  const end = text.indexOf('\n', offset);
  if (end < 0) throw new TlogProofError(`tlog-proof ends before the ${what}`);
  return { line: text.slice(offset, end), next: end + 1 };
}

export function decodeTlogProof(text: string): TlogProof {
  let { line, next } = takeLine(text, 0, 'header');
  if (line !== TLOG_PROOF_HEADER) throw new TlogProofError(`first line is not ${TLOG_PROOF_HEADER}`);
  ({ line, next } = takeLine(text, next, 'index line'));
  let extra: Uint8Array | undefined;
  if (line.startsWith('extra ')) {
    try {
      extra = decodeBase64(line.slice('extra '.length));
    } catch (error) {
      throw new TlogProofError(`extra line: ${(error as Base64Error).message}`);
    }
    if (extra.length === 0) throw new TlogProofError('extra line holds no data');
    ({ line, next } = takeLine(text, next, 'index line'));
  }
  const index = /^index (0|[1-9][0-9]*)$/.exec(line);
  if (!index || !Number.isSafeInteger(Number(index[1]))) {
    throw new TlogProofError(`expected "index <decimal>", got ${JSON.stringify(line)}`);
  }
  const proof: Uint8Array[] = [];
  for (;;) {
    ({ line, next } = takeLine(text, next, 'empty line before the checkpoint'));
    if (line === '') break;
    try {
      proof.push(decodeBase64Exact(line, HASH_SIZE, `proof hash ${proof.length}`));
    } catch (error) {
      throw new TlogProofError((error as Error).message);
    }
  }
  const checkpoint = text.slice(next);
  if (checkpoint === '') throw new TlogProofError('tlog-proof has no checkpoint');
  return { ...(extra ? { extra } : {}), index: Number(index[1]), proof, checkpoint };
}

/**
 * tlog-proof verification: checks the checkpoint signature with the log key(s) and the inclusion
 * of `leafHash` at the proof's index. Throws (NoteError, CheckpointError, ProofError) otherwise.
 */
export function verifyTlogProof(
  proof: string | TlogProof,
  leafHash: Uint8Array,
  verifiers: NoteVerifier | string | readonly (NoteVerifier | string)[],
  options: { origin?: string } = {},
): OpenedCheckpoint {
  const decoded = typeof proof === 'string' ? decodeTlogProof(proof) : proof;
  const checkpoint = openCheckpoint(decoded.checkpoint, verifiers, options);
  verifyInclusion(decoded.index, checkpoint.size, leafHash, decoded.proof, checkpoint.rootHash);
  return checkpoint;
}
