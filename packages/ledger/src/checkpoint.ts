/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the signed note body
 * `<origin>\n<size>\n<base64 root>\n[<extension line>\n]*`.
 */
import { decodeBase64Exact, encodeBase64 } from './base64.ts';
import { HASH_SIZE } from './merkle.ts';
import { type NoteSigner, type NoteVerifier, type OpenedNote, openNote, signNote } from './signed-note.ts';
import { MAX_TREE_SIZE } from './tree-math.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: string[];
}

export interface OpenedCheckpoint extends Checkpoint {
  extensions: string[];
  note: OpenedNote;
}

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

function checkLine(line: string, what: string): void {
  if (line === '' || line.includes('\n'))
    throw new CheckpointError(`${what} must be a non-empty single line`);
}

/** The checkpoint note body. Sizes are bounded by 2^53 − 1. */
export function formatCheckpoint({ origin, size, rootHash, extensions = [] }: Checkpoint): string {
  checkLine(origin, 'checkpoint origin');
  if (!Number.isSafeInteger(size) || size < 0)
    throw new CheckpointError(`checkpoint size ${size} is not an integer in 0..${MAX_TREE_SIZE}`);
  if (rootHash.length !== HASH_SIZE)
    throw new CheckpointError(`checkpoint root hash is not ${HASH_SIZE} bytes`);
  for (const extension of extensions) checkLine(extension, 'checkpoint extension');
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses a checkpoint note body (the text of the note, not its signatures). */
export function parseCheckpoint(text: string): Checkpoint & { extensions: string[] } {
  if (!text.endsWith('\n')) throw new CheckpointError('checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError('checkpoint needs origin, size and root hash lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw new CheckpointError('checkpoint origin is empty');
  // tlog-checkpoint: decimal, no leading zeros.
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine))
    throw new CheckpointError(`checkpoint size "${sizeLine}" is not a decimal integer`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new CheckpointError(`checkpoint size ${sizeLine} exceeds 2^53 − 1`);
  let rootHash: Uint8Array;
  try {
    rootHash = decodeBase64Exact(rootLine, HASH_SIZE, 'checkpoint root hash');
  } catch (error) {
    throw new CheckpointError((error as Error).message);
  }
  if (extensions.some((line) => line === ''))
    throw new CheckpointError('checkpoint has an empty extension line');
  return { origin, size, rootHash, extensions };
}

/** Formats and signs a checkpoint; the note text ready to publish. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly (NoteSigner | string)[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Opens a signed checkpoint with the log's verifier key(s) and parses it. With `origin`, the
 * checkpoint must name that log.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: NoteVerifier | string | readonly (NoteVerifier | string)[],
  options: { origin?: string } = {},
): OpenedCheckpoint {
  const list = Array.isArray(verifiers) ? verifiers : [verifiers as NoteVerifier | string];
  const opened = openNote(note, list);
  const checkpoint = parseCheckpoint(opened.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new CheckpointError(
      `checkpoint origin "${checkpoint.origin}" is not the expected "${options.origin}"`,
    );
  }
  return { ...checkpoint, note: opened };
}
