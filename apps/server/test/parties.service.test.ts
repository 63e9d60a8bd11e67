import { describe, expect, it } from 'vitest';
import {
  addPartyKey,
  authenticate,
  createParty,
  getParty,
  listParties,
  localOperator,
  mayPerform,
  type Principal,
} from '../src/modules/parties/index.ts';
import { DomainError } from '../src/shared/errors.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';

const publicKey = Buffer.from(new Uint8Array(32).fill(0)).toString('base64'); // not a valid point is fine to test separately
const validKey = 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik='; // RFC 8032 test 1 public key

describeEachDatabase('parties service', (ctx) => {
  it('creates a party with roles and a token that authenticates; the token is stored hashed', async () => {
    const created = await createParty(ctx.db, localOperator, {
      name: 'Shanghai Dismantling Co',
      roles: ['dismantler', 'recycler'],
    });
    expect(created.token).toMatch(/^clp_/);
    expect(created.roles).toEqual(['dismantler', 'recycler']);
    const principal = await authenticate(ctx.db, created.token);
    expect(principal.partyId).toBe(created.id);
    const stored = await ctx.db.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('party_id', '=', created.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(created.token);
  });

  it('rejects unknown roles, empty names and duplicate names without writing anything', async () => {
    const before = await countRows(ctx.db, ['parties', 'party_roles', 'api_tokens']);
    await expect(createParty(ctx.db, localOperator, { name: 'X', roles: ['wizard'] })).rejects.toMatchObject({
      kind: 'invalid',
      errors: [expect.objectContaining({ field: 'roles' })],
    });
    await expect(createParty(ctx.db, localOperator, { name: '  ', roles: ['dealer'] })).rejects.toMatchObject(
      { errors: [expect.objectContaining({ field: 'name' })] },
    );
    await createParty(ctx.db, localOperator, { name: 'Dup Motors', roles: ['dealer'] });
    const mid = await countRows(ctx.db, ['parties', 'party_roles', 'api_tokens']);
    await expect(
      createParty(ctx.db, localOperator, { name: 'Dup Motors', roles: ['oem'] }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'duplicate_party' });
    expect(await countRows(ctx.db, ['parties', 'party_roles', 'api_tokens'])).toEqual(mid);
    expect(mid.parties).toBe(before.parties! + 1);
  });

  it('refuses unknown tokens', async () => {
    await expect(authenticate(ctx.db, 'clp_nope')).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it('registers Ed25519 keys, refusing malformed and duplicate ones', async () => {
    const p = await createParty(ctx.db, localOperator, {
      name: 'Key Holder',
      roles: ['oem'],
      publicKey: validKey,
    });
    expect(p.keys).toHaveLength(1);
    expect(p.keys[0]!.keyId).toMatch(/^[0-9a-f]{16}$/);
    await expect(addPartyKey(ctx.db, localOperator, p.id, 'not-base64!')).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'publicKey' })],
    });
    await expect(addPartyKey(ctx.db, localOperator, p.id, validKey)).rejects.toMatchObject({
      code: 'duplicate_key',
    });
    expect(publicKey).toHaveLength(44);
    const shown = await getParty(ctx.db, localOperator, p.id);
    expect(shown.keys.map((k) => k.publicKey)).toEqual([validKey]);
  });

  it('enforces permissions: a dealer may not create parties', async () => {
    const dealer = await createParty(ctx.db, localOperator, { name: 'Dealer One', roles: ['dealer'] });
    const principal = await authenticate(ctx.db, dealer.token);
    await expect(createParty(ctx.db, principal, { name: 'Sneaky', roles: ['admin'] })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const page = await listParties(ctx.db, principal, { limit: 2 });
    expect(page.length).toBeLessThanOrEqual(2);
  });
});

describe('permission model', () => {
  const as = (...roles: Principal['roles']): Principal => ({ partyId: 'p', name: 'p', roles });
  it('grants by role and admin holds everything', () => {
    expect(mayPerform(as('dealer'), 'asset:register:vehicle')).toBe(true);
    expect(mayPerform(as('dealer'), 'asset:register:battery')).toBe(false);
    expect(mayPerform(as('regulator'), 'asset:read')).toBe(true);
    expect(mayPerform(as('regulator'), 'ledger:append')).toBe(false);
    expect(mayPerform(as('admin'), 'anything:at-all')).toBe(true);
    expect(new DomainError('invalid', 'x', 'y').name).toBe('DomainError');
  });
});
