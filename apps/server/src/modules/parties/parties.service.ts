import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Db } from '../../db/database.ts';
import { type Executor, inTransaction } from '../../db/transaction.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { conflict, forbidden, invalid, notFound, unauthorized } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import {
  hashApiToken,
  mayPerform,
  newApiToken,
  type PartyRole,
  type Principal,
  partyRoles,
} from './parties.model.ts';
import * as repo from './parties.repository.ts';

export type { PartyKeyRecord, PartyRecord } from './parties.repository.ts';

/** The operator at the console: whoever can open the database directly holds every permission. */
export const localOperator: Principal = {
  partyId: 'local-operator',
  name: 'local operator',
  roles: ['admin'],
};

export function requirePermission(principal: Principal, action: string): void {
  if (!mayPerform(principal, action)) {
    throw forbidden(
      'permission_denied',
      `party "${principal.name}" (roles: ${principal.roles.join(', ')}) may not ${action}`,
    );
  }
}

export interface CreatePartyInput {
  name: string;
  roles: string[];
  /** Optional Ed25519 public key (base64, 32 bytes) to register at once. */
  publicKey?: string;
}

export interface CreatedParty extends repo.PartyRecord {
  /** The API token: returned only here, stored only as a hash. */
  token: string;
  keys: repo.PartyKeyRecord[];
}

function checkRoles(roles: string[]): PartyRole[] {
  if (roles.length === 0)
    throw invalid('invalid_party', 'a party needs at least one role', [
      { field: 'roles', message: 'at least one role is required' },
    ]);
  const unknown = roles.filter((r) => !(partyRoles as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw invalid('invalid_party', `unknown role ${unknown.map((r) => `"${r}"`).join(', ')}`, [
      { field: 'roles', message: `unknown role(s) ${unknown.join(', ')}; allowed: ${partyRoles.join(', ')}` },
    ]);
  }
  return [...new Set(roles)] as PartyRole[];
}

export async function createParty(
  db: Db,
  principal: Principal,
  input: CreatePartyInput,
  clock: Clock = systemClock,
): Promise<CreatedParty> {
  requirePermission(principal, 'party:create');
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw invalid('invalid_party', 'party name must be 1–200 characters', [
      { field: 'name', message: 'must be 1–200 characters' },
    ]);
  }
  const roles = checkRoles(input.roles);
  const key = input.publicKey === undefined ? undefined : parseEd25519PublicKey(input.publicKey, 'publicKey');
  const token = newApiToken();
  const now = clock();
  const party: repo.PartyRecord = { id: newId(), name, roles, createdAt: now };
  return inTransaction(db, async (trx) => {
    if (await repo.partyNameTaken(trx, name)) {
      throw conflict('duplicate_party', `a party named "${name}" already exists`, [
        { field: 'name', message: 'already taken' },
      ]);
    }
    await repo.insertParty(trx, party);
    await repo.insertApiToken(trx, {
      id: newId(),
      partyId: party.id,
      tokenHash: hashApiToken(token),
      label: 'initial',
      createdAt: now,
    });
    const keys = key ? [await storeKey(trx, party.id, key, now)] : [];
    return { ...party, token, keys };
  });
}

export async function issueApiToken(
  db: Db,
  principal: Principal,
  partyId: string,
  label: string | null = null,
): Promise<string> {
  requirePermission(principal, 'party:create');
  const token = newApiToken();
  await inTransaction(db, async (trx) => {
    if (!(await repo.findParty(trx, partyId))) throw notFound('party_not_found', `no party ${partyId}`);
    await repo.insertApiToken(trx, {
      id: newId(),
      partyId,
      tokenHash: hashApiToken(token),
      label,
      createdAt: systemClock(),
    });
  });
  return token;
}

/** Who presents this bearer token, or an `unauthorized` error. */
export async function authenticate(db: Db, token: string): Promise<Principal> {
  const partyId = await repo.findPartyIdByTokenHash(db.kysely, hashApiToken(token));
  const party = partyId ? await repo.findParty(db.kysely, partyId) : undefined;
  if (!party) throw unauthorized('invalid_token', 'the API token is unknown or revoked');
  return { partyId: party.id, name: party.name, roles: party.roles };
}

/** The principal a party acts as, e.g. the signer of an event batch. */
export async function principalOf(db: Executor, partyId: string): Promise<Principal> {
  const party = await repo.findParty(db, partyId);
  if (!party) throw unauthorized('unknown_party', `no party ${partyId}`);
  return { partyId: party.id, name: party.name, roles: party.roles };
}

export async function getParty(
  db: Db,
  principal: Principal,
  id: string,
): Promise<repo.PartyRecord & { keys: repo.PartyKeyRecord[] }> {
  requirePermission(principal, 'party:read');
  const party = await repo.findParty(db.kysely, id);
  if (!party) throw notFound('party_not_found', `no party with id ${id}`);
  return { ...party, keys: await repo.listPartyKeys(db.kysely, id) };
}

export async function listParties(db: Db, principal: Principal, page: { limit: number; after?: string }) {
  requirePermission(principal, 'party:read');
  return repo.listParties(db.kysely, page);
}

/** Ed25519 public key from base64 (32 raw bytes); the field is named in the error. */
export function parseEd25519PublicKey(text: string, field: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== text.replace(/=+$/, '').padEnd(44, '=')) {
    throw invalid('invalid_key', 'an Ed25519 public key is 32 bytes in base64', [
      { field, message: 'expected 32 bytes, base64-encoded' },
    ]);
  }
  try {
    ed25519.Point.fromBytes(bytes);
  } catch {
    throw invalid('invalid_key', 'not a valid Ed25519 point', [
      { field, message: 'not a valid Ed25519 public key' },
    ]);
  }
  return new Uint8Array(bytes);
}

/** Key id: first 8 bytes of SHA-256 of the raw public key, hex — stable and short enough to print. */
export function ed25519KeyId(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

async function storeKey(
  trx: Executor,
  partyId: string,
  publicKey: Uint8Array,
  now: string,
): Promise<repo.PartyKeyRecord> {
  const record: repo.PartyKeyRecord = {
    keyId: ed25519KeyId(publicKey),
    partyId,
    algorithm: 'ed25519',
    publicKey: Buffer.from(publicKey).toString('base64'),
    createdAt: now,
    revokedAt: null,
  };
  if (await repo.findPartyKey(trx, record.keyId)) {
    throw conflict('duplicate_key', 'this public key is already registered', [
      { field: 'publicKey', message: 'already registered' },
    ]);
  }
  await repo.insertPartyKey(trx, record);
  return record;
}

export async function addPartyKey(
  db: Db,
  principal: Principal,
  partyId: string,
  publicKeyBase64: string,
): Promise<repo.PartyKeyRecord> {
  if (principal.partyId !== partyId) requirePermission(principal, 'party:create');
  const key = parseEd25519PublicKey(publicKeyBase64, 'publicKey');
  return inTransaction(db, async (trx) => {
    if (!(await repo.findParty(trx, partyId)))
      throw notFound('party_not_found', `no party with id ${partyId}`);
    return storeKey(trx, partyId, key, systemClock());
  });
}

/** A party's active key by id, for checking batch signatures. */
export async function findActiveKey(db: Executor, keyId: string): Promise<repo.PartyKeyRecord | undefined> {
  const key = await repo.findPartyKey(db, keyId);
  return key && key.revokedAt === null ? key : undefined;
}
