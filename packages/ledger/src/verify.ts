/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), with the
 * edge cases of transparency-dev/merkle `proof/verify.go` checked first so each rejection names its
 * cause. Sizes and indexes are numbers bounded by 2^53 − 1.
 */
import { bytesEqual } from './bytes.ts';
import { HASH_SIZE, nodeHash } from './merkle.ts';
import { half, isOdd, isPowerOfTwo, MAX_TREE_SIZE, popcount, trailingZeros } from './tree-math.ts';

export type ProofErrorReason =
  | 'invalid-size'
  | 'index-out-of-range'
  | 'size-order'
  | 'empty-first-tree'
  | 'wrong-proof-length'
  | 'bad-hash-length'
  | 'root-mismatch';

export class ProofError extends Error {
  override readonly name = 'ProofError';
  constructor(
    readonly reason: ProofErrorReason,
    message: string,
  ) {
    super(message);
  }
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProofError('invalid-size', `${what} must be an integer in 0..${MAX_TREE_SIZE}, got ${value}`);
  }
}

function checkHashLength(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_SIZE) {
    throw new ProofError('bad-hash-length', `${what} is ${hash.length} bytes, expected ${HASH_SIZE}`);
  }
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  for (let i = 0; i < proof.length; i++) checkHashLength(proof[i]!, `proof hash ${i}`);
}

/**
 * Number of proof hashes for a leaf: `inner` = bit length of index XOR (size − 1) (hashes below the
 * point where the leaf's path leaves the right border), `border` = 1 bits of index above that.
 */
function decompose(index: number, size: number): { inner: number; border: number } {
  let a = index;
  let b = size - 1;
  let inner = 0;
  while (a !== b) {
    a = half(a);
    b = half(b);
    inner++;
  }
  return { inner, border: popcount(a) };
}

function checkProofLength(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new ProofError('wrong-proof-length', `${what} has ${actual} hashes, expected ${expected}`);
  }
}

/**
 * RFC 9162 §2.1.3.2: the root that `proof` yields for `leafHash` at `leafIndex` in a tree of
 * `treeSize` leaves. Throws `ProofError` if the proof cannot be for that position.
 */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkSize(leafIndex, 'leaf index');
  checkSize(treeSize, 'tree size');
  // Step 1; this also rejects every size-0 tree.
  if (leafIndex >= treeSize) {
    throw new ProofError('index-out-of-range', `leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  checkHashLength(leafHash, 'leaf hash');
  checkProofHashes(proof);
  const { inner, border } = decompose(leafIndex, treeSize);
  checkProofLength(
    proof.length,
    inner + border,
    `inclusion proof for leaf ${leafIndex} in tree size ${treeSize}`,
  );

  // Steps 2–3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0)
      throw new ProofError('wrong-proof-length', 'inclusion proof is longer than the path to the root');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 4 (first half); the caller compares r with the root.
  if (sn !== 0)
    throw new ProofError('wrong-proof-length', 'inclusion proof is shorter than the path to the root');
  return r;
}

/** RFC 9162 §2.1.3.2. Throws `ProofError` unless `proof` shows `leafHash` at `leafIndex` under `rootHash`. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): void {
  checkHashLength(rootHash, 'root hash');
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  if (!bytesEqual(computed, rootHash)) {
    throw new ProofError('root-mismatch', `inclusion proof for leaf ${leafIndex} yields a different root`);
  }
}

/** Boolean form of `verifyInclusion`. */
export function isValidInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  return succeeds(() => verifyInclusion(leafIndex, treeSize, leafHash, proof, rootHash));
}

/**
 * RFC 9162 §2.1.4.2. Throws `ProofError` unless `proof` shows the tree of `size2` leaves with root
 * `root2` extends the tree of `size1` leaves with root `root1`.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize(size1, 'first tree size');
  checkSize(size2, 'second tree size');
  if (size2 < size1) {
    throw new ProofError('size-order', `second tree size ${size2} is smaller than first tree size ${size1}`);
  }
  if (size1 === 0) {
    throw new ProofError('empty-first-tree', 'a consistency proof from the empty tree is meaningless');
  }
  // Equal sizes are settled before any hash-length check: the roots need only be equal.
  if (size1 === size2) {
    checkProofLength(proof.length, 0, `consistency proof between equal sizes ${size1}`);
    if (!bytesEqual(root1, root2)) {
      throw new ProofError('root-mismatch', `trees of equal size ${size1} have different roots`);
    }
    return;
  }
  if (proof.length === 0) throw new ProofError('wrong-proof-length', 'consistency proof is empty');
  checkHashLength(root1, 'first root hash');
  checkHashLength(root2, 'second root hash');
  checkProofHashes(proof);
  checkProofLength(
    proof.length,
    consistencyProofLength(size1, size2),
    `consistency proof from ${size1} to ${size2}`,
  );

  // Step 2: a perfect first tree is its own seed.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // Step 3.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Steps 4–5.
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0)
      throw new ProofError('wrong-proof-length', 'consistency proof is longer than the path to the root');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 6.
  if (sn !== 0)
    throw new ProofError('wrong-proof-length', 'consistency proof is shorter than the path to the root');
  if (!bytesEqual(fr, root1)) {
    throw new ProofError('root-mismatch', `consistency proof does not reproduce the root of size ${size1}`);
  }
  if (!bytesEqual(sr, root2)) {
    throw new ProofError('root-mismatch', `consistency proof does not reproduce the root of size ${size2}`);
  }
}

/** Boolean form of `verifyConsistency`. */
export function isValidConsistencyProof(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  return succeeds(() => verifyConsistency(size1, size2, proof, root1, root2));
}

/** Hashes in PROOF(size1, D[0:size2]) for 0 < size1 < size2 (transparency-dev/merkle verify.go). */
function consistencyProofLength(size1: number, size2: number): number {
  const shift = trailingZeros(size1);
  const { inner, border } = decompose(size1 - 1, size2);
  return inner - shift + border + (isPowerOfTwo(size1) ? 0 : 1);
}

function succeeds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof ProofError) return false;
    throw error;
  }
}
