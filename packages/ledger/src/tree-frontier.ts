/**
 * A compact range over [0, size): the hashes of the perfect subtrees that make up the tree (one per
 * 1 bit of size, largest first). Enough to append leaves and compute the root without reading the
 * store, producing exactly the stored hashes `storedHashesFromHashes` would.
 */
import { emptyRoot, HASH_SIZE, nodeHash } from './merkle.ts';
import {
  indexesForTreeHash,
  MAX_STORED_TREE_SIZE,
  type StoredHash,
  storedHashCount,
} from './stored-hashes.ts';
import { assertTreeSize, largestPowerOfTwoAtMost } from './tree-math.ts';

/** Stored indexes of the frontier of a tree of `size` leaves, largest subtree first. */
export function frontierIndexes(size: number): number[] {
  return indexesForTreeHash(size);
}

/** What `TreeFrontier.append` produced for one leaf. */
export interface FrontierAppend {
  /** 0-based index of the leaf just appended. */
  leafIndex: number;
  /** Hashes to write, at consecutive indexes from `storedHashIndex(0, leafIndex)`. */
  storedHashes: StoredHash[];
}

export class TreeFrontier {
  private treeSize: number;
  private nextStoredIndex: number;
  /** Perfect subtree hashes, largest (leftmost) first, with their heights. */
  private readonly hashes: Uint8Array[];
  private readonly heights: number[];

  /** `hashes` are the stored hashes at `frontierIndexes(size)`, in that order. */
  constructor(size = 0, hashes: readonly Uint8Array[] = []) {
    assertTreeSize(size, 'tree size', MAX_STORED_TREE_SIZE);
    const expected = frontierIndexes(size).length;
    if (hashes.length !== expected) {
      throw new RangeError(`a frontier of size ${size} has ${expected} hashes, got ${hashes.length}`);
    }
    this.treeSize = size;
    this.nextStoredIndex = storedHashCount(size);
    this.hashes = [];
    this.heights = [];
    let rest = size;
    for (const hash of hashes) {
      if (hash.length !== HASH_SIZE) throw new RangeError(`frontier hash is not ${HASH_SIZE} bytes`);
      const width = largestPowerOfTwoAtMost(rest);
      this.hashes.push(hash);
      this.heights.push(Math.log2(width));
      rest -= width;
    }
  }

  /** Loads the frontier of a tree of `size` leaves through a (sync or async) hash reader. */
  static async load(
    size: number,
    readHashes: (indexes: number[]) => Uint8Array[] | Promise<Uint8Array[]>,
  ): Promise<TreeFrontier> {
    const indexes = frontierIndexes(size);
    return new TreeFrontier(size, indexes.length === 0 ? [] : await readHashes(indexes));
  }

  get size(): number {
    return this.treeSize;
  }

  /** The frontier hashes, in `frontierIndexes(size)` order. */
  frontierHashes(): Uint8Array[] {
    return [...this.hashes];
  }

  /** Adds one leaf; returns the stored hashes to write for it. O(1) amortized, no reads. */
  append(leafHash: Uint8Array): FrontierAppend {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`leaf hash is not ${HASH_SIZE} bytes`);
    if (this.treeSize >= MAX_STORED_TREE_SIZE) throw new RangeError('tree is at the stored-hash size bound');
    const leafIndex = this.treeSize;
    let index = this.nextStoredIndex;
    const storedHashes: StoredHash[] = [{ index: index++, hash: leafHash }];
    let hash = leafHash;
    let height = 0;
    // Each trailing 1 bit of leafIndex is a left sibling of equal height on the frontier to merge with.
    while (this.heights.length > 0 && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      hash = nodeHash(this.hashes.pop()!, hash);
      height++;
      storedHashes.push({ index: index++, hash });
    }
    this.hashes.push(hash);
    this.heights.push(height);
    this.treeSize = leafIndex + 1;
    this.nextStoredIndex = index;
    return { leafIndex, storedHashes };
  }

  /** Root of the current tree: the frontier folded from the right (the empty root for size 0). */
  root(): Uint8Array {
    if (this.hashes.length === 0) return emptyRoot();
    let root = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeHash(this.hashes[i]!, root);
    return root;
  }

  clone(): TreeFrontier {
    return new TreeFrontier(this.treeSize, this.hashes);
  }
}
