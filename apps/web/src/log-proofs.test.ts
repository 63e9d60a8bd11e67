import {
  type BuiltEnvelope,
  buildEnvelope,
  encodeBase64,
  generateSignerKey,
  MerkleTree,
  signCheckpoint,
} from '@carloop/ledger';
import { describe, expect, it } from 'vitest';
import type { InclusionProofView } from './api-types.ts';
import { checkConsistency, checkInclusion, openLogCheckpoint } from './log-proofs.ts';

// A small real log: five envelopes, a Merkle tree over them and a signed checkpoint.
const origin = 'carloop.test/log';
const keys = generateSignerKey(origin, new Uint8Array(32).fill(7));
const otherKeys = generateSignerKey(origin, new Uint8Array(32).fill(9));
const entries: BuiltEnvelope[] = [];
for (let i = 0; i < 5; i++) {
  entries.push(
    buildEnvelope({
      id: `00000000-0000-7000-8000-00000000000${i}`,
      type: 'vehicle.odometer_read',
      subject: { kind: 'vehicle', id: 'LRW3E7FA2PC123456' },
      subjectSeq: i,
      prev: entries[i - 1]?.leafHash ?? null,
      occurredAt: `2024-0${i + 1}-01T00:00:00Z`,
      submitter: { party: 'p', keyId: 'token:0000' },
      payload: { odometerKm: 1000 * i },
      salt: new Uint8Array(16).fill(i),
    }),
  );
}
const tree = new MerkleTree(entries.map((e) => e.leafHash));
const noteAt = (size: number, signer = keys.signerKey) =>
  signCheckpoint({ origin, size, rootHash: tree.root(size) }, [signer]);

function proofFor(seq: number, size = tree.size): InclusionProofView {
  return {
    leafIndex: seq,
    treeSize: size,
    leafHash: encodeBase64(entries[seq]!.leafHash),
    entry: encodeBase64(entries[seq]!.bytes),
    proof: tree.inclusionProof(seq, size).map(encodeBase64),
    rootHash: encodeBase64(tree.root(size)),
    checkpoint: noteAt(size),
  };
}

describe('checkpoint signature', () => {
  it('opens a checkpoint signed by the log key', () => {
    const { step, checkpoint } = openLogCheckpoint(noteAt(5), keys.verifierKey);
    expect(step.ok).toBe(true);
    expect(checkpoint).toMatchObject({ origin, size: 5, rootHash: encodeBase64(tree.root(5)) });
    expect(step.detail).toMatch(/^signed by carloop\.test\/log\+[0-9a-f]{8}$/);
  });

  it('rejects a checkpoint signed by another key, or a log key that is not the trusted one', () => {
    expect(openLogCheckpoint(noteAt(5, otherKeys.signerKey), keys.verifierKey).step.ok).toBe(false);
    const untrusted = openLogCheckpoint(noteAt(5), keys.verifierKey, otherKeys.verifierKey);
    expect(untrusted.step).toMatchObject({ ok: false, detail: 'the log key is not the trusted key' });
    expect(openLogCheckpoint(noteAt(5), keys.verifierKey, keys.verifierKey).step.ok).toBe(true);
    expect(openLogCheckpoint(noteAt(5), 'not a key').step.ok).toBe(false);
  });
});

describe('inclusion', () => {
  const checkpoint = openLogCheckpoint(noteAt(5), keys.verifierKey).checkpoint!;

  it('verifies every entry of the tree against the signed root', () => {
    for (let seq = 0; seq < 5; seq++) {
      const result = checkInclusion(proofFor(seq), checkpoint);
      expect(result.ok, `seq ${seq}`).toBe(true);
      expect(result.steps.map((s) => s.ok)).toEqual([true, true, true]);
      expect(result.envelope?.subjectSeq).toBe(seq);
    }
  });

  it('names the step that fails', () => {
    const wrongLeaf = { ...proofFor(2), leafHash: encodeBase64(entries[3]!.leafHash) };
    expect(checkInclusion(wrongLeaf, checkpoint).steps[1]).toMatchObject({
      ok: false,
      name: 'leaf hash 叶哈希',
    });

    const swapped = {
      ...proofFor(2),
      entry: encodeBase64(entries[3]!.bytes),
      leafHash: encodeBase64(entries[3]!.leafHash),
    };
    const result = checkInclusion(swapped, checkpoint);
    expect(result.ok).toBe(false);
    expect(result.steps[2]).toMatchObject({ ok: false, name: 'inclusion proof 包含证明' });

    const otherSize = checkInclusion(proofFor(1, 3), checkpoint);
    expect(otherSize.steps[2]!.detail).toContain('tree size 3');

    const garbage = checkInclusion(
      { ...proofFor(0), entry: encodeBase64(new TextEncoder().encode('{}')) },
      checkpoint,
    );
    expect(garbage.ok).toBe(false);
    expect(garbage.steps[0]).toMatchObject({ ok: false, name: 'entry 日志条目' });
    expect(garbage.envelope).toBeUndefined();
  });
});

describe('consistency', () => {
  const head = (size: number) => ({ size, rootHash: encodeBase64(tree.root(size)) });
  const proof = (from: number, to: number) => ({
    size1: from,
    size2: to,
    root1: encodeBase64(tree.root(from)),
    root2: encodeBase64(tree.root(to)),
    proof: tree.consistencyProof(from, to).map(encodeBase64),
  });

  it('accepts a tree that extends the older one', () => {
    expect(checkConsistency(proof(3, 5), head(3), head(5))).toMatchObject({
      ok: true,
      detail: 'tree 5 extends tree 3',
    });
  });

  it('rejects a rewritten history and a proof for other sizes', () => {
    const forged = { size: 3, rootHash: encodeBase64(tree.root(2)) };
    expect(checkConsistency(proof(3, 5), forged, head(5)).ok).toBe(false);
    expect(checkConsistency(proof(2, 5), head(3), head(5)).detail).toContain('sizes 2→5');
  });
});
