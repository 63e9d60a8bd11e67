/**
 * Every inclusion proof (index < size) and every consistency proof (m < n) for all sizes 1..300,
 * from the in-memory tree and from the stored-hash layout, must agree and verify; TreeFrontier must
 * write the same stored hashes and give the same roots.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  indexesForProveRecord,
  indexesForProveTree,
  indexesForStoredHashes,
  indexesForTreeHash,
  leafHash,
  MerkleTree,
  proveRecordFromHashes,
  proveTreeFromHashes,
  rootFromLeafHashes,
  storedHashCount,
  storedHashesFromHashes,
  storedHashIndex,
  TreeFrontier,
  treeHashFromHashes,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';

const MAX = 300;
const leaves = Array.from({ length: MAX }, (_, i) => leafHash(sha256(Uint8Array.of(i >> 8, i & 255))));
const tree = new MerkleTree(leaves);
const roots = Array.from({ length: MAX + 1 }, (_, size) => tree.root(size));

// The stored-hash store, built leaf by leaf the way a server appends.
const store: Uint8Array[] = [];
for (let n = 0; n < MAX; n++) {
  const siblings = indexesForStoredHashes(n).map((i) => store[i]!);
  const hashes = storedHashesFromHashes(n, leaves[n]!, siblings);
  expect(store.length).toBe(storedHashIndex(0, n));
  store.push(...hashes);
}
const read = (indexes: number[]): Uint8Array[] => indexes.map((i) => store[i]!);

const equalProofs = (a: Uint8Array[], b: Uint8Array[]): boolean =>
  a.length === b.length && a.every((hash, i) => Buffer.compare(hash, b[i]!) === 0);

describe(`all tree sizes 1..${MAX}`, () => {
  it('roots: stack algorithm = MerkleTree = stored hashes = TreeFrontier', () => {
    const frontier = new TreeFrontier();
    for (let size = 1; size <= MAX; size++) {
      const { storedHashes } = frontier.append(leaves[size - 1]!);
      const start = storedHashCount(size - 1);
      expect(storedHashes.map((s) => s.index)).toEqual(storedHashes.map((_, i) => start + i));
      expect(storedHashes.every((s) => Buffer.compare(s.hash, store[s.index]!) === 0)).toBe(true);
      expect(store.slice(0, storedHashCount(size))).toHaveLength(storedHashCount(size));
      const root = roots[size]!;
      expect(rootFromLeafHashes(leaves.slice(0, size))).toEqual(root);
      expect(treeHashFromHashes(size, read(indexesForTreeHash(size)))).toEqual(root);
      expect(frontier.root()).toEqual(root);
      // A frontier rebuilt from the store continues identically.
      const reloaded = new TreeFrontier(size, read(indexesForTreeHash(size)));
      expect(reloaded.root()).toEqual(root);
    }
    expect(store).toHaveLength(storedHashCount(MAX));
  });

  it('every inclusion proof verifies and both generators agree', () => {
    let count = 0;
    for (let size = 1; size <= MAX; size++) {
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size);
        const stored = proveRecordFromHashes(size, index, read(indexesForProveRecord(size, index)));
        if (!equalProofs(proof, stored))
          throw new Error(`stored inclusion proof differs at (${index}, ${size})`);
        verifyInclusion(index, size, leaves[index]!, proof, roots[size]!);
        count++;
      }
    }
    expect(count).toBe((MAX * (MAX + 1)) / 2);
  });

  it('every consistency proof verifies and both generators agree', () => {
    let count = 0;
    for (let size2 = 1; size2 <= MAX; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = tree.consistencyProof(size1, size2);
        const stored = proveTreeFromHashes(size2, size1, read(indexesForProveTree(size2, size1)));
        if (!equalProofs(proof, stored))
          throw new Error(`stored consistency proof differs at (${size1}, ${size2})`);
        verifyConsistency(size1, size2, proof, roots[size1]!, roots[size2]!);
        count++;
      }
    }
    expect(count).toBe((MAX * (MAX + 1)) / 2);
  });

  it('the one-shot generators agree with MerkleTree for sizes up to 64', () => {
    for (let size = 1; size <= 64; size++) {
      for (let m = 0; m < size; m++) {
        expect(equalProofs(inclusionProof(m, size, leaves), tree.inclusionProof(m, size))).toBe(true);
        expect(equalProofs(consistencyProof(m + 1, size, leaves), tree.consistencyProof(m + 1, size))).toBe(
          true,
        );
      }
    }
  });
});
