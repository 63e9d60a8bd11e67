import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidConsistencyProof,
  isValidInclusionProof,
  leafHash,
  MerkleTree,
  ProofError,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';

const MAX = 200;
const leaves = Array.from({ length: MAX }, (_, i) => leafHash(Uint8Array.of(i, 7)));
const tree = new MerkleTree(leaves);

function flipByte(proof: Uint8Array[], element: number, byte: number, mask: number): Uint8Array[] {
  return proof.map((hash, i) => {
    if (i !== element) return hash;
    const copy = hash.slice();
    copy[byte] = copy[byte]! ^ mask;
    return copy;
  });
}

const inclusionCase = fc
  .integer({ min: 1, max: MAX })
  .chain((size) => fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }));

const consistencyCase = fc
  .integer({ min: 2, max: MAX })
  .chain((size2) => fc.record({ size2: fc.constant(size2), size1: fc.integer({ min: 1, max: size2 - 1 }) }));

describe('inclusion proofs reject any tampering', () => {
  it('a flipped bit in any proof element fails', () => {
    fc.assert(
      fc.property(
        inclusionCase,
        fc.nat(),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 1, max: 255 }),
        ({ size, index }, e, byte, mask) => {
          const proof = tree.inclusionProof(index, size);
          fc.pre(proof.length > 0);
          const bad = flipByte(proof, e % proof.length, byte, mask);
          expect(isValidInclusionProof(index, size, leaves[index]!, bad, tree.root(size))).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a wrong index fails', () => {
    fc.assert(
      fc.property(inclusionCase, fc.integer({ min: 0, max: MAX + 10 }), ({ size, index }, other) => {
        fc.pre(other !== index);
        const proof = tree.inclusionProof(index, size);
        expect(isValidInclusionProof(other, size, leaves[index]!, proof, tree.root(size))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  // Size and root travel together in a signed checkpoint, so a wrong size comes with that size's root.
  // (With the original root, a size whose path has the same shape, e.g. 65 for 71 at index 0,
  // yields the same hash chain: the root, not the size field, is what the proof is bound to.)
  it('a wrong tree size fails', () => {
    fc.assert(
      fc.property(inclusionCase, fc.integer({ min: 1, max: MAX }), ({ size, index }, other) => {
        fc.pre(other !== size);
        const proof = tree.inclusionProof(index, size);
        expect(isValidInclusionProof(index, other, leaves[index]!, proof, tree.root(other))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('a wrong leaf fails', () => {
    fc.assert(
      fc.property(inclusionCase, fc.integer({ min: 0, max: MAX - 1 }), ({ size, index }, other) => {
        fc.pre(other !== index);
        const proof = tree.inclusionProof(index, size);
        expect(isValidInclusionProof(index, size, leaves[other]!, proof, tree.root(size))).toBe(false);
      }),
    );
  });
});

describe('consistency proofs reject any tampering', () => {
  it('a flipped bit in any proof element fails', () => {
    fc.assert(
      fc.property(
        consistencyCase,
        fc.nat(),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 1, max: 255 }),
        ({ size1, size2 }, e, byte, mask) => {
          const proof = tree.consistencyProof(size1, size2);
          const bad = flipByte(proof, e % proof.length, byte, mask);
          expect(isValidConsistencyProof(size1, size2, bad, tree.root(size1), tree.root(size2))).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a wrong first or second size fails', () => {
    fc.assert(
      fc.property(consistencyCase, fc.integer({ min: 0, max: MAX }), ({ size1, size2 }, other) => {
        const proof = tree.consistencyProof(size1, size2);
        if (other !== size1 && other <= size2) {
          expect(isValidConsistencyProof(other, size2, proof, tree.root(other), tree.root(size2))).toBe(
            false,
          );
        }
        if (other !== size2 && other >= size1) {
          expect(isValidConsistencyProof(size1, other, proof, tree.root(size1), tree.root(other))).toBe(
            false,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('swapped or wrong roots fail', () => {
    fc.assert(
      fc.property(consistencyCase, ({ size1, size2 }) => {
        const proof = tree.consistencyProof(size1, size2);
        expect(isValidConsistencyProof(size1, size2, proof, tree.root(size2), tree.root(size1))).toBe(false);
        expect(isValidConsistencyProof(size1, size2, proof, tree.root(size1), tree.root(size2 - 1))).toBe(
          false,
        );
      }),
    );
  });
});

describe('ProofError reasons', () => {
  const root = tree.root(10);
  const proof = tree.inclusionProof(3, 10);

  it('names the broken part', () => {
    const reason = (f: () => void): string => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(ProofError);
        return (error as ProofError).reason;
      }
      return 'none';
    };
    expect(reason(() => verifyInclusion(10, 10, leaves[3]!, proof, root))).toBe('index-out-of-range');
    expect(reason(() => verifyInclusion(3, 10, leaves[3]!, proof.slice(1), root))).toBe('wrong-proof-length');
    expect(reason(() => verifyInclusion(3, 10, leaves[3]!, [...proof, root], root))).toBe(
      'wrong-proof-length',
    );
    expect(reason(() => verifyInclusion(3, 10, leaves[4]!, proof, root))).toBe('root-mismatch');
    expect(reason(() => verifyInclusion(3, 10, leaves[3]!, proof, root.slice(1)))).toBe('bad-hash-length');
    expect(reason(() => verifyInclusion(3, 2 ** 53, leaves[3]!, proof, root))).toBe('invalid-size');
    expect(reason(() => verifyConsistency(5, 4, [], root, root))).toBe('size-order');
    expect(reason(() => verifyConsistency(0, 0, [], root, root))).toBe('empty-first-tree');
    expect(reason(() => verifyConsistency(4, 10, [], root, root))).toBe('wrong-proof-length');
    expect(reason(() => verifyInclusion(3, 10, leaves[3]!, proof, root))).toBe('none');
  });

  it('rootFromInclusionProof gives the root for a valid proof', () => {
    expect(rootFromInclusionProof(3, 10, leaves[3]!, proof)).toEqual(root);
  });

  it('handles sizes near 2^53 exactly', () => {
    // The last leaf of a tree of 2^53 − 1 leaves: 52 left siblings, one per 1 bit below the top.
    const size = 2 ** 53 - 1;
    const index = size - 1;
    const path = Array.from({ length: 52 }, (_, i) => leafHash(Uint8Array.of(i)));
    const computed = rootFromInclusionProof(index, size, leaves[0]!, path);
    expect(isValidInclusionProof(index, size, leaves[0]!, path, computed)).toBe(true);
    expect(isValidInclusionProof(index, size, leaves[0]!, path.slice(1), computed)).toBe(false);
    expect(isValidInclusionProof(index - 1, size, leaves[0]!, path, computed)).toBe(false);
  });
});
