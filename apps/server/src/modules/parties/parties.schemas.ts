import { z } from '@hono/zod-openapi';
import { partyRoles } from './parties.model.ts';

export const createPartyBody = z
  .strictObject({
    name: z.string().min(1).max(200),
    roles: z.array(z.enum(partyRoles)).min(1),
    publicKey: z.string().optional().openapi({ description: 'Ed25519 public key, 32 bytes base64' }),
  })
  .openapi('PartyCreate');

export const partyKey = z
  .object({
    keyId: z.string(),
    partyId: z.string(),
    algorithm: z.string(),
    publicKey: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('PartyKey');

export const party = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    createdAt: z.string(),
    keys: z.array(partyKey).optional(),
  })
  .openapi('Party');

export const createdParty = party
  .extend({ token: z.string().openapi({ description: 'shown only in this response' }) })
  .openapi('PartyCreated');

export const addKeyBody = z.strictObject({ publicKey: z.string() }).openapi('PartyKeyAdd');
