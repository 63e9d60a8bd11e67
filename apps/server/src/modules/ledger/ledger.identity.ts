import { randomBytes } from 'node:crypto';
import { generateSignerKey, type NoteSigner, parseSignerKey, parseVerifierKey } from '@carloop/ledger';
import type { Db } from '../../db/database.ts';
import type { Executor } from '../../db/transaction.ts';
import * as repo from './ledger.repository.ts';

/** Who the log is: its origin line and the key that signs its checkpoints. */
export interface LogIdentity {
  origin: string;
  signer: NoteSigner;
  verifierKey: string;
}

const cache = new WeakMap<Db, LogIdentity>();

/**
 * The log's identity, made once per database on first use. The origin comes from
 * CARLOOP_LOG_ORIGIN (default `carloop.local/log-<random>`, unique per deployment); a signer key can be
 * supplied as CARLOOP_LOG_SIGNER_KEY (a C2SP `PRIVATE+KEY+…` string) before first start.
 */
export async function logIdentity(db: Db, trx: Executor = db.kysely): Promise<LogIdentity> {
  const known = cache.get(db);
  if (known) return known;
  let signerKey = await repo.setting(trx, 'signer_key');
  if (!signerKey) {
    const origin = process.env.CARLOOP_LOG_ORIGIN || `carloop.local/log-${randomBytes(4).toString('hex')}`;
    const supplied = process.env.CARLOOP_LOG_SIGNER_KEY;
    const generated = supplied ? undefined : generateSignerKey(origin);
    await repo.saveSetting(trx, 'origin', supplied ? parseSignerKey(supplied).name : origin);
    await repo.saveSetting(trx, 'signer_key', supplied ?? generated!.signerKey);
    signerKey = (await repo.setting(trx, 'signer_key'))!;
  }
  const signer = parseSignerKey(signerKey);
  const identity: LogIdentity = { origin: signer.name, signer, verifierKey: verifierKeyOf(signerKey) };
  cache.set(db, identity);
  return identity;
}

/** The public verifier key string for a signer key string. */
function verifierKeyOf(signerKey: string): string {
  const signer = parseSignerKey(signerKey);
  const verifier = parseVerifierKey(signer.verifierKey);
  return verifier.verifierKey;
}
