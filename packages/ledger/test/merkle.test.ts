import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  MerkleTree,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import { fromHex, readJson, toHex } from './vectors.ts';

interface ReferenceTree {
  hasherVectors: { desc: string; op: string; input?: string; left?: string; right?: string; want: string }[];
  leafInputs: string[];
  nodeHashes: { levels: string[][] };
  rootHashes: { bySize: string[] };
  inclusionProofs: { leafIndex: number; treeSize: number; proof: string[] }[];
  consistencyProofs: { size1: number; size2: number; proof: string[] }[];
}

const reference = readJson<ReferenceTree>('reference-tree.json');
const leafHashes = reference.leafInputs.map((input) => leafHash(fromHex(input)));

describe('RFC 6962 hashing (reference-tree.json)', () => {
  it.each(reference.hasherVectors)('$desc', ({ op, input, left, right, want }) => {
    const got =
      op === 'emptyRoot'
        ? emptyRoot()
        : op === 'hashLeaf'
          ? leafHash(fromHex(input!))
          : nodeHash(fromHex(left!), fromHex(right!));
    expect(toHex(got)).toBe(want);
  });

  it('reproduces every perfect-subtree node hash', () => {
    const tree = new MerkleTree(leafHashes);
    reference.nodeHashes.levels.forEach((row, level) => {
      row.forEach((want, j) => {
        expect(toHex(tree.subtreeHash(j * 2 ** level, (j + 1) * 2 ** level))).toBe(want);
      });
    });
  });

  it('reproduces the roots for sizes 0–8 with the stack algorithm and the tree', () => {
    const tree = new MerkleTree(leafHashes);
    reference.rootHashes.bySize.forEach((want, size) => {
      expect(toHex(rootFromLeafHashes(leafHashes.slice(0, size)))).toBe(want);
      expect(toHex(tree.root(size))).toBe(want);
    });
  });

  it.each(reference.inclusionProofs)(
    'PATH($leafIndex, D[$treeSize]) matches and verifies',
    ({ leafIndex, treeSize, proof }) => {
      const got = inclusionProof(leafIndex, treeSize, leafHashes);
      expect(got.map(toHex)).toEqual(proof);
      const root = fromHex(reference.rootHashes.bySize[treeSize]!);
      expect(() => verifyInclusion(leafIndex, treeSize, leafHashes[leafIndex]!, got, root)).not.toThrow();
    },
  );

  it.each(reference.consistencyProofs)(
    'PROOF($size1, D[$size2]) matches and verifies',
    ({ size1, size2, proof }) => {
      const got = consistencyProof(size1, size2, leafHashes);
      expect(got.map(toHex)).toEqual(proof);
      const root1 = fromHex(reference.rootHashes.bySize[size1]!);
      const root2 = fromHex(reference.rootHashes.bySize[size2]!);
      expect(() => verifyConsistency(size1, size2, got, root1, root2)).not.toThrow();
    },
  );
});

describe('RFC 9162 §2.1.5 example tree of 7 leaves', () => {
  // Node names of the RFC figure: leaves a–f and d6 (= j); g = (a,b), h = (c,d), i = (e,f), k = (g,h), l = (i,j).
  const tree = new MerkleTree(leafHashes.slice(0, 7));
  const [a, b, c, d, e, f, j] = leafHashes as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const g = nodeHash(a, b);
  const h = nodeHash(c, d);
  const i = nodeHash(e, f);
  const k = nodeHash(g, h);
  const l = nodeHash(i, j);

  it('gives the inclusion paths of the RFC', () => {
    expect(tree.inclusionProof(0, 7)).toEqual([b, h, l]);
    expect(tree.inclusionProof(3, 7)).toEqual([c, g, l]);
    expect(tree.inclusionProof(4, 7)).toEqual([f, j, k]);
    expect(tree.inclusionProof(6, 7)).toEqual([i, k]);
  });

  it('gives the consistency proofs of the RFC', () => {
    expect(tree.consistencyProof(3, 7)).toEqual([c, d, g, l]);
    expect(tree.consistencyProof(4, 7)).toEqual([l]);
    expect(tree.consistencyProof(6, 7)).toEqual([i, j, k]);
  });
});

describe('in-memory generator arguments', () => {
  it('rejects out-of-range requests', () => {
    expect(() => inclusionProof(3, 3, leafHashes)).toThrow(RangeError);
    expect(() => inclusionProof(0, 9, leafHashes)).toThrow(RangeError);
    expect(() => consistencyProof(0, 3, leafHashes)).toThrow(RangeError);
    expect(() => consistencyProof(4, 3, leafHashes)).toThrow(RangeError);
    expect(() => new MerkleTree(leafHashes).root(9)).toThrow(RangeError);
  });

  it('gives the empty root for an empty tree', () => {
    expect(toHex(new MerkleTree().root())).toBe(reference.rootHashes.bySize[0]);
  });
});
