/**
 * Proof generation from leaf hashes held in memory: RFC 6962 §2.1.1 PATH (RFC 9162 §2.1.3.1) and
 * §2.1.2 PROOF/SUBPROOF (RFC 9162 §2.1.4.1), written as the recursions of the RFC over [lo, hi).
 * `MerkleTree` keeps every perfect-subtree hash so each proof costs O(log² n) hashes.
 */
import { emptyRoot, nodeHash } from './merkle.ts';
import { assertTreeSize, largestPowerOfTwoBelow } from './tree-math.ts';

/** MTH(D[lo:hi]) for 0 ≤ lo < hi ≤ size. */
type SubtreeHash = (lo: number, hi: number) => Uint8Array;

// PATH(m, D[lo:hi]); m is an absolute leaf index.
function pathInto(m: number, lo: number, hi: number, mth: SubtreeHash, out: Uint8Array[]): void {
  if (hi - lo === 1) return;
  const k = largestPowerOfTwoBelow(hi - lo);
  if (m < lo + k) {
    pathInto(m, lo, lo + k, mth, out);
    out.push(mth(lo + k, hi));
  } else {
    pathInto(m, lo + k, hi, mth, out);
    out.push(mth(lo, lo + k));
  }
}

// SUBPROOF(m, D[lo:hi], b); m is an absolute tree size.
function subproofInto(
  m: number,
  lo: number,
  hi: number,
  wholeSubtree: boolean,
  mth: SubtreeHash,
  out: Uint8Array[],
): void {
  if (m === hi) {
    if (!wholeSubtree) out.push(mth(lo, hi));
    return;
  }
  const k = largestPowerOfTwoBelow(hi - lo);
  if (m <= lo + k) {
    subproofInto(m, lo, lo + k, wholeSubtree, mth, out);
    out.push(mth(lo + k, hi));
  } else {
    subproofInto(m, lo + k, hi, false, mth, out);
    out.push(mth(lo, lo + k));
  }
}

function checkInclusionArgs(index: number, size: number, available: number): void {
  assertTreeSize(size, 'tree size');
  assertTreeSize(index, 'leaf index');
  if (index >= size) throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
  if (size > available) throw new RangeError(`tree size ${size} exceeds the ${available} leaves available`);
}

function checkConsistencyArgs(size1: number, size2: number, available: number): void {
  assertTreeSize(size1, 'first tree size');
  assertTreeSize(size2, 'second tree size');
  // RFC 9162 §2.1.4.1 defines PROOF for 0 < m ≤ n; a proof from the empty tree is meaningless.
  if (size1 === 0 || size1 > size2)
    throw new RangeError(`no consistency proof from size ${size1} to ${size2}`);
  if (size2 > available) throw new RangeError(`tree size ${size2} exceeds the ${available} leaves available`);
}

/**
 * An in-memory Merkle tree over leaf hashes. `levels[l][j]` is the hash of the perfect subtree of
 * height l covering leaves j·2^l … (j+1)·2^l − 1, so any MTH(D[lo:hi]) costs O(log n) hashes.
 */
export class MerkleTree {
  private readonly levels: Uint8Array[][] = [[]];

  constructor(leafHashes: Iterable<Uint8Array> = []) {
    for (const hash of leafHashes) this.append(hash);
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  append(leafHash: Uint8Array): void {
    let hash = leafHash;
    for (let level = 0; ; level++) {
      if (this.levels.length === level) this.levels.push([]);
      const row = this.levels[level]!;
      row.push(hash);
      if (row.length % 2 === 1) return;
      hash = nodeHash(row[row.length - 2]!, hash);
    }
  }

  leafHash(index: number): Uint8Array {
    checkInclusionArgs(index, this.size, this.size);
    return this.levels[0]![index]!;
  }

  /** MTH(D[lo:hi]). */
  subtreeHash(lo: number, hi: number): Uint8Array {
    const width = hi - lo;
    if (width === 1) return this.levels[0]![lo]!;
    const k = largestPowerOfTwoBelow(width);
    if (k * 2 === width && lo % width === 0) {
      const perfect = this.levels[Math.log2(width)]?.[lo / width];
      if (perfect) return perfect;
    }
    return nodeHash(this.subtreeHash(lo, lo + k), this.subtreeHash(lo + k, hi));
  }

  /** Root of the first `size` leaves (default: all). */
  root(size: number = this.size): Uint8Array {
    assertTreeSize(size, 'tree size', this.size);
    return size === 0 ? emptyRoot() : this.subtreeHash(0, size);
  }

  /** PATH(index, D[0:size]). */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    checkInclusionArgs(index, size, this.size);
    const out: Uint8Array[] = [];
    pathInto(index, 0, size, (lo, hi) => this.subtreeHash(lo, hi), out);
    return out;
  }

  /** PROOF(size1, D[0:size2]); empty when size1 = size2. */
  consistencyProof(size1: number, size2: number = this.size): Uint8Array[] {
    checkConsistencyArgs(size1, size2, this.size);
    const out: Uint8Array[] = [];
    subproofInto(size1, 0, size2, true, (lo, hi) => this.subtreeHash(lo, hi), out);
    return out;
  }
}

/** PATH(index, D[0:size]) over the first `size` of `leafHashes`. O(size) hashes; reuse a `MerkleTree` for many proofs. */
export function inclusionProof(index: number, size: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  checkInclusionArgs(index, size, leafHashes.length);
  return new MerkleTree(leafHashes.slice(0, size)).inclusionProof(index, size);
}

/** PROOF(size1, D[0:size2]) over the first `size2` of `leafHashes`. */
export function consistencyProof(
  size1: number,
  size2: number,
  leafHashes: readonly Uint8Array[],
): Uint8Array[] {
  checkConsistencyArgs(size1, size2, leafHashes.length);
  return new MerkleTree(leafHashes.slice(0, size2)).consistencyProof(size1, size2);
}
