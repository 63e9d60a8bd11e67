/**
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256 (the hash C2SP tlog-tiles fixes).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { half, isOdd } from './tree-math.ts';

export const HASH_SIZE = 32;

// RFC 6962 §2.1: 0x00 / 0x01 prefixes separate leaves from interior nodes (second-preimage resistance).
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({d}) = SHA-256(0x00 || d): the leaf hash of one entry's bytes. */
export function leafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

// Reused for the common 32+32 case; sha256() is synchronous, so no caller can observe it.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + HASH_SIZE);
    return sha256(nodeInput);
  }
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/**
 * Root of the tree whose leaf hashes are given, computed with the stack of RFC 9162 §2.1.2:
 * after leaf i, merge the top two entries once per trailing 1 bit of i; fold the rest from the right.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot();
  const stack: Uint8Array[] = [];
  for (let i = 0; i < hashes.length; i++) {
    stack.push(hashes[i]!);
    for (let j = i; isOdd(j); j = half(j)) {
      const right = stack.pop()!;
      const left = stack.pop()!;
      stack.push(nodeHash(left, right));
    }
  }
  let root = stack.pop()!;
  while (stack.length > 0) root = nodeHash(stack.pop()!, root);
  return root;
}
