/**
 * The stored-hash layout of Go's `golang.org/x/mod/sumdb/tlog`, for a log kept in a database.
 *
 * Every perfect-subtree hash is stored once, under a dense integer index, in the order it becomes
 * known: adding leaf n writes its leaf hash and then the hash of every subtree leaf n completes
 * (one per trailing 1 bit of n). Tree size n therefore owns exactly `storedHashCount(n)` hashes,
 * indexes 0 … storedHashCount(n) − 1, and never rewrites one.
 *
 * Each operation comes in two steps for servers (`indexesFor…` → fetch → `…FromHashes`) and as an
 * async one-call form taking a `ReadHashes` callback (sync or async, e.g. SQLite or PostgreSQL).
 *
 * Bound: sizes ≤ 2^52 (`MAX_STORED_TREE_SIZE`), which keeps every stored index ≤ 2^53 − 1.
 */
import { emptyRoot, HASH_SIZE, nodeHash } from './merkle.ts';
import {
  assertTreeSize,
  half,
  largestPowerOfTwoAtMost,
  largestPowerOfTwoBelow,
  popcount,
  trailingOnes,
  trailingZeros,
} from './tree-math.ts';

/** Largest tree size the stored-hash layout supports: storedHashCount(2^52) = 2^53 − 1. */
export const MAX_STORED_TREE_SIZE = 2 ** 52;

/** Reads the stored hashes at `indexes`, in the same order. */
export type ReadHashes = (indexes: number[]) => Uint8Array[] | Promise<Uint8Array[]>;

/** A stored hash to write: `hash` at `index`. */
export interface StoredHash {
  index: number;
  hash: Uint8Array;
}

/** A stored hash's coordinates: hash `n` (0-based, left to right) at tree level `level` (0 = leaves). */
export interface StoredHashPosition {
  level: number;
  n: number;
}

function checkStoredSize(size: number, what: string): void {
  assertTreeSize(size, what, MAX_STORED_TREE_SIZE);
}

/**
 * Index of the n-th hash at `level`. In the Go loop, level L's n-th hash is stored right after
 * level 0's hash m = (n+1)·2^L − 1, which sits at Σ⌊m/2^i⌋ = 2m − popcount(m).
 */
export function storedHashIndex(level: number, n: number): number {
  if (!Number.isInteger(level) || level < 0 || level > 52) throw new RangeError(`invalid level ${level}`);
  assertTreeSize(n, 'hash number');
  const m = (n + 1) * 2 ** level - 1;
  if (m >= MAX_STORED_TREE_SIZE)
    throw new RangeError(`hash ${n} at level ${level} is beyond the stored-hash bound`);
  return 2 * m - popcount(m) + level;
}

/** Inverse of `storedHashIndex`. */
export function splitStoredHashIndex(index: number): StoredHashPosition {
  assertTreeSize(index, 'stored hash index');
  // storedHashIndex(0, n) ≤ 2n, so the leaf that wrote `index` is in [index/2, index/2 + log2(index)].
  let n = half(index);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    // Leaf n writes 1 + trailingOnes(n) hashes; leaf n+1 starts after them.
    const next = indexN + 1 + trailingZeros(n + 1);
    if (next > index) break;
    n++;
    indexN = next;
  }
  const level = index - indexN;
  return { level, n: Math.floor(n / 2 ** level) };
}

/** Number of stored hashes for a tree of `size` leaves: 2·size − popcount(size). */
export function storedHashCount(size: number): number {
  checkStoredSize(size, 'tree size');
  return 2 * size - popcount(size);
}

/** Stored indexes of the perfect subtrees that make up D[lo:hi], largest (leftmost) first. */
function subtreeIndexesInto(lo: number, hi: number, out: number[]): void {
  while (lo < hi) {
    const k = largestPowerOfTwoAtMost(hi - lo);
    const level = Math.log2(k);
    out.push(storedHashIndex(level, lo / k));
    lo += k;
  }
}

/** Reads hashes from an array front to back, mirroring the order the index builders emitted. */
class HashCursor {
  private position = 0;
  constructor(private readonly hashes: readonly Uint8Array[]) {}
  next(): Uint8Array {
    const hash = this.hashes[this.position++];
    if (!hash) throw new RangeError('fewer stored hashes than indexes requested');
    return hash;
  }
  finish(): void {
    if (this.position !== this.hashes.length)
      throw new RangeError('more stored hashes than indexes requested');
  }
}

/** MTH(D[lo:hi]) from its perfect subtrees, folded from the right. */
function subtreeHashFrom(lo: number, hi: number, cursor: HashCursor): Uint8Array {
  const parts: Uint8Array[] = [];
  while (lo < hi) {
    parts.push(cursor.next());
    lo += largestPowerOfTwoAtMost(hi - lo);
  }
  let hash = parts.pop()!;
  while (parts.length > 0) hash = nodeHash(parts.pop()!, hash);
  return hash;
}

function checkHashes(hashes: readonly Uint8Array[], indexes: readonly number[]): void {
  if (hashes.length !== indexes.length) {
    throw new RangeError(`read ${hashes.length} stored hashes for ${indexes.length} indexes`);
  }
  for (let i = 0; i < hashes.length; i++) {
    if (hashes[i]?.length !== HASH_SIZE)
      throw new RangeError(`stored hash ${indexes[i]} is not ${HASH_SIZE} bytes`);
  }
}

async function readChecked(readHashes: ReadHashes, indexes: number[]): Promise<Uint8Array[]> {
  if (indexes.length === 0) return [];
  const hashes = await readHashes(indexes);
  checkHashes(hashes, indexes);
  return hashes;
}

// ── Appending a record ──────────────────────────────────────────────────────────────────────────

/** Stored indexes of the left siblings leaf n completes, ascending (one per trailing 1 bit of n). */
export function indexesForStoredHashes(n: number): number[] {
  assertTreeSize(n, 'leaf index');
  checkStoredSize(n + 1, 'tree size after the append');
  const completed = trailingOnes(n);
  const indexes = new Array<number>(completed);
  let shifted = n;
  for (let level = 0; level < completed; level++) {
    // shifted = n >> level is odd; its left sibling at this level is shifted − 1.
    indexes[completed - 1 - level] = storedHashIndex(level, shifted - 1);
    shifted = half(shifted);
  }
  return indexes;
}

/**
 * The hashes to store when leaf n (0-based) with `leafHash` is added, given the hashes read at
 * `indexesForStoredHashes(n)`. They go at consecutive indexes from `storedHashIndex(0, n)`.
 */
export function storedHashesFromHashes(
  n: number,
  leafHash: Uint8Array,
  siblings: readonly Uint8Array[],
): Uint8Array[] {
  const indexes = indexesForStoredHashes(n);
  checkHashes(siblings, indexes);
  if (leafHash.length !== HASH_SIZE) throw new RangeError(`leaf hash is not ${HASH_SIZE} bytes`);
  const out = [leafHash];
  let hash = leafHash;
  for (let level = 0; level < indexes.length; level++) {
    hash = nodeHash(siblings[indexes.length - 1 - level]!, hash);
    out.push(hash);
  }
  return out;
}

/** Async one-call form of `storedHashesFromHashes` (Go: `StoredHashesForRecordHash`). */
export async function storedHashesForRecord(
  n: number,
  leafHash: Uint8Array,
  readHashes: ReadHashes,
): Promise<Uint8Array[]> {
  const indexes = indexesForStoredHashes(n);
  return storedHashesFromHashes(n, leafHash, await readChecked(readHashes, indexes));
}

// ── Tree hash ───────────────────────────────────────────────────────────────────────────────────

/** Stored indexes needed for the root of a tree of `size` leaves (its frontier, largest first). */
export function indexesForTreeHash(size: number): number[] {
  checkStoredSize(size, 'tree size');
  const out: number[] = [];
  subtreeIndexesInto(0, size, out);
  return out;
}

/** Root of a tree of `size` leaves from the hashes at `indexesForTreeHash(size)`; the empty root for 0. */
export function treeHashFromHashes(size: number, hashes: readonly Uint8Array[]): Uint8Array {
  checkHashes(hashes, indexesForTreeHash(size));
  if (size === 0) return emptyRoot();
  const cursor = new HashCursor(hashes);
  const root = subtreeHashFrom(0, size, cursor);
  cursor.finish();
  return root;
}

/** Async one-call form of `treeHashFromHashes` (Go: `TreeHash`, except size 0 gives the RFC empty root). */
export async function treeHash(size: number, readHashes: ReadHashes): Promise<Uint8Array> {
  return treeHashFromHashes(size, await readChecked(readHashes, indexesForTreeHash(size)));
}

// ── Inclusion proof ─────────────────────────────────────────────────────────────────────────────

function checkRecordArgs(size: number, index: number): void {
  checkStoredSize(size, 'tree size');
  assertTreeSize(index, 'leaf index');
  if (index >= size) throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
}

// PATH(n, D[lo:hi]) as stored-hash reads (Go: leafProofIndex).
function recordProofIndexesInto(lo: number, hi: number, n: number, out: number[]): void {
  if (hi - lo === 1) return;
  const k = largestPowerOfTwoBelow(hi - lo);
  if (n < lo + k) {
    recordProofIndexesInto(lo, lo + k, n, out);
    subtreeIndexesInto(lo + k, hi, out);
  } else {
    subtreeIndexesInto(lo, lo + k, out);
    recordProofIndexesInto(lo + k, hi, n, out);
  }
}

function recordProofFrom(lo: number, hi: number, n: number, cursor: HashCursor, out: Uint8Array[]): void {
  if (hi - lo === 1) return;
  const k = largestPowerOfTwoBelow(hi - lo);
  if (n < lo + k) {
    recordProofFrom(lo, lo + k, n, cursor, out);
    out.push(subtreeHashFrom(lo + k, hi, cursor));
  } else {
    const sibling = subtreeHashFrom(lo, lo + k, cursor);
    recordProofFrom(lo + k, hi, n, cursor, out);
    out.push(sibling);
  }
}

/** Stored indexes needed for the inclusion proof of leaf `index` in a tree of `size` leaves. */
export function indexesForProveRecord(size: number, index: number): number[] {
  checkRecordArgs(size, index);
  const out: number[] = [];
  recordProofIndexesInto(0, size, index, out);
  return out;
}

/** Inclusion proof (RFC 6962 PATH) from the hashes at `indexesForProveRecord(size, index)`. */
export function proveRecordFromHashes(
  size: number,
  index: number,
  hashes: readonly Uint8Array[],
): Uint8Array[] {
  checkHashes(hashes, indexesForProveRecord(size, index));
  const cursor = new HashCursor(hashes);
  const proof: Uint8Array[] = [];
  recordProofFrom(0, size, index, cursor, proof);
  cursor.finish();
  return proof;
}

/** Async one-call form of `proveRecordFromHashes` (Go: `ProveRecord(t, n)`). */
export async function proveRecord(
  size: number,
  index: number,
  readHashes: ReadHashes,
): Promise<Uint8Array[]> {
  return proveRecordFromHashes(
    size,
    index,
    await readChecked(readHashes, indexesForProveRecord(size, index)),
  );
}

// ── Consistency proof ───────────────────────────────────────────────────────────────────────────

function checkTreeArgs(size2: number, size1: number): void {
  checkStoredSize(size2, 'second tree size');
  assertTreeSize(size1, 'first tree size');
  if (size1 === 0 || size1 > size2)
    throw new RangeError(`no consistency proof from size ${size1} to ${size2}`);
}

// SUBPROOF(n, D[lo:hi], lo == 0) as stored-hash reads (Go: treeProofIndex); lo == 0 is the RFC's b flag.
function treeProofIndexesInto(lo: number, hi: number, n: number, out: number[]): void {
  if (n === hi) {
    if (lo !== 0) subtreeIndexesInto(lo, hi, out);
    return;
  }
  const k = largestPowerOfTwoBelow(hi - lo);
  if (n <= lo + k) {
    treeProofIndexesInto(lo, lo + k, n, out);
    subtreeIndexesInto(lo + k, hi, out);
  } else {
    subtreeIndexesInto(lo, lo + k, out);
    treeProofIndexesInto(lo + k, hi, n, out);
  }
}

function treeProofFrom(lo: number, hi: number, n: number, cursor: HashCursor, out: Uint8Array[]): void {
  if (n === hi) {
    if (lo !== 0) out.push(subtreeHashFrom(lo, hi, cursor));
    return;
  }
  const k = largestPowerOfTwoBelow(hi - lo);
  if (n <= lo + k) {
    treeProofFrom(lo, lo + k, n, cursor, out);
    out.push(subtreeHashFrom(lo + k, hi, cursor));
  } else {
    const sibling = subtreeHashFrom(lo, lo + k, cursor);
    treeProofFrom(lo + k, hi, n, cursor, out);
    out.push(sibling);
  }
}

/** Stored indexes needed for the consistency proof from `size1` to `size2` (Go argument order). */
export function indexesForProveTree(size2: number, size1: number): number[] {
  checkTreeArgs(size2, size1);
  const out: number[] = [];
  treeProofIndexesInto(0, size2, size1, out);
  return out;
}

/** Consistency proof (RFC 6962 PROOF) from the hashes at `indexesForProveTree(size2, size1)`. */
export function proveTreeFromHashes(
  size2: number,
  size1: number,
  hashes: readonly Uint8Array[],
): Uint8Array[] {
  checkHashes(hashes, indexesForProveTree(size2, size1));
  const cursor = new HashCursor(hashes);
  const proof: Uint8Array[] = [];
  treeProofFrom(0, size2, size1, cursor, proof);
  cursor.finish();
  return proof;
}

/** Async one-call form of `proveTreeFromHashes` (Go: `ProveTree(t, n)`). */
export async function proveTree(size2: number, size1: number, readHashes: ReadHashes): Promise<Uint8Array[]> {
  return proveTreeFromHashes(size2, size1, await readChecked(readHashes, indexesForProveTree(size2, size1)));
}
