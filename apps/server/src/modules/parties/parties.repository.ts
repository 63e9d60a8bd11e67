import type { Executor } from '../../db/transaction.ts';
import type { PartyRole } from './parties.model.ts';

export interface PartyRecord {
  id: string;
  name: string;
  roles: PartyRole[];
  createdAt: string;
}

export interface PartyKeyRecord {
  keyId: string;
  partyId: string;
  algorithm: string;
  publicKey: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function insertParty(db: Executor, party: PartyRecord): Promise<void> {
  await db
    .insertInto('parties')
    .values({ id: party.id, name: party.name, created_at: party.createdAt })
    .execute();
  await db
    .insertInto('party_roles')
    .values(party.roles.map((role) => ({ party_id: party.id, role })))
    .execute();
}

export async function partyNameTaken(db: Executor, name: string): Promise<boolean> {
  const row = await db.selectFrom('parties').select('id').where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

async function rolesByParty(db: Executor, ids: string[]): Promise<Map<string, PartyRole[]>> {
  const byParty = new Map<string, PartyRole[]>();
  if (ids.length === 0) return byParty;
  const rows = await db
    .selectFrom('party_roles')
    .selectAll()
    .where('party_id', 'in', ids)
    .orderBy('role')
    .execute();
  for (const row of rows) {
    const list = byParty.get(row.party_id) ?? [];
    list.push(row.role as PartyRole);
    byParty.set(row.party_id, list);
  }
  return byParty;
}

export async function findParty(db: Executor, id: string): Promise<PartyRecord | undefined> {
  const row = await db.selectFrom('parties').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const roles = await rolesByParty(db, [id]);
  return { id: row.id, name: row.name, createdAt: row.created_at, roles: roles.get(id) ?? [] };
}

export async function listParties(
  db: Executor,
  page: { limit: number; after?: string },
): Promise<PartyRecord[]> {
  let query = db.selectFrom('parties').selectAll().orderBy('id').limit(page.limit);
  if (page.after) query = query.where('id', '>', page.after);
  const rows = await query.execute();
  const roles = await rolesByParty(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    roles: roles.get(row.id) ?? [],
  }));
}

export async function insertApiToken(
  db: Executor,
  token: { id: string; partyId: string; tokenHash: string; label: string | null; createdAt: string },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      party_id: token.partyId,
      token_hash: token.tokenHash,
      label: token.label,
      created_at: token.createdAt,
    })
    .execute();
}

export async function findPartyIdByTokenHash(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select('party_id')
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.party_id;
}

export async function insertPartyKey(db: Executor, key: PartyKeyRecord): Promise<void> {
  await db
    .insertInto('party_keys')
    .values({
      key_id: key.keyId,
      party_id: key.partyId,
      algorithm: key.algorithm,
      public_key: key.publicKey,
      created_at: key.createdAt,
      revoked_at: key.revokedAt,
    })
    .execute();
}

const toKey = (row: {
  key_id: string;
  party_id: string;
  algorithm: string;
  public_key: string;
  created_at: string;
  revoked_at: string | null;
}): PartyKeyRecord => ({
  keyId: row.key_id,
  partyId: row.party_id,
  algorithm: row.algorithm,
  publicKey: row.public_key,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export async function findPartyKey(db: Executor, keyId: string): Promise<PartyKeyRecord | undefined> {
  const row = await db.selectFrom('party_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
  return row ? toKey(row) : undefined;
}

export async function listPartyKeys(db: Executor, partyId: string): Promise<PartyKeyRecord[]> {
  const rows = await db
    .selectFrom('party_keys')
    .selectAll()
    .where('party_id', '=', partyId)
    .orderBy('created_at')
    .execute();
  return rows.map(toKey);
}
