import { createHash } from 'node:crypto';
import { canonicalBytes } from '@carloop/ledger';
import { ed25519 } from '@noble/curves/ed25519.js';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { fieldErrorsFromZod, invalid, unauthorized } from '../../shared/errors.ts';
import { ed25519KeyId, findActiveKey, principalOf } from '../parties/index.ts';
import type { Submitter } from './ledger.service.ts';

export const batchFormat = 'carloop-batch@1';

/**
 * A signed batch: one Ed25519 signature over the batch digest authenticates every event in it, so
 * ingestion is not bound by per-event signature checks.
 */
export const signedBatch = z.strictObject({
  format: z.literal(batchFormat),
  party: z.string().min(1),
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'the 16-hex-digit key id of a registered key'),
  signature: z.string().min(1),
  events: z.array(z.unknown()).min(1),
});
export type SignedBatch = z.infer<typeof signedBatch>;

/** Batch digest = SHA-256 of the RFC 8785 canonical JSON of the events array. */
export function batchDigest(events: unknown[]): Uint8Array {
  return new Uint8Array(createHash('sha256').update(canonicalBytes(events)).digest());
}

/** Sign events with a 32-byte Ed25519 private key (seed), for a party whose public key is registered. */
export function signBatch(events: unknown[], party: string, secretKey: Uint8Array): SignedBatch {
  const publicKey = ed25519.getPublicKey(secretKey);
  const signature = ed25519.sign(batchDigest(events), secretKey);
  return {
    format: batchFormat,
    party,
    keyId: ed25519KeyId(publicKey),
    signature: Buffer.from(signature).toString('base64'),
    events,
  };
}

/** Check a signed batch's signature against the party's registered key; returns who submits it. */
export async function submitterOfSignedBatch(
  db: Db,
  raw: unknown,
): Promise<{ submitter: Submitter; events: unknown[] }> {
  const parsed = signedBatch.safeParse(raw);
  if (!parsed.success)
    throw invalid('invalid_batch', 'not a signed batch', fieldErrorsFromZod(parsed.error.issues));
  const batch = parsed.data;
  const key = await findActiveKey(db.kysely, batch.keyId);
  if (!key || key.partyId !== batch.party) {
    throw unauthorized('unknown_key', `key ${batch.keyId} is not an active key of party ${batch.party}`);
  }
  const signature = Buffer.from(batch.signature, 'base64');
  const valid =
    signature.length === 64 &&
    ed25519.verify(
      new Uint8Array(signature),
      batchDigest(batch.events),
      new Uint8Array(Buffer.from(key.publicKey, 'base64')),
    );
  if (!valid)
    throw unauthorized('bad_signature', `the batch signature does not verify with key ${batch.keyId}`);
  return {
    submitter: { principal: await principalOf(db.kysely, batch.party), keyId: `ed25519:${batch.keyId}` },
    events: batch.events,
  };
}
