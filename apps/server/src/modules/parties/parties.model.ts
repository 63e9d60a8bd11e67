import { createHash, randomBytes } from 'node:crypto';

/** The roles an organisation can hold in the loop. `admin` is the platform operator itself. */
export const partyRoles = [
  'admin',
  'oem',
  'dealer',
  'buyback_operator',
  'used_car_operator',
  'dismantler',
  'battery_repurposer',
  'recycler',
  'regulator',
  'auditor',
] as const;
export type PartyRole = (typeof partyRoles)[number];

/**
 * What each role may do. Every route and service entry point asks `mayPerform` with one of these actions.
 * Reads of the public face (health, OpenAPI, verification material) need no permission at all.
 */
export const rolePermissions: Record<PartyRole, readonly string[]> = {
  admin: ['*'],
  oem: [
    'party:read',
    'asset:read',
    'asset:register:vehicle',
    'asset:register:battery',
    'asset:register:part',
    'asset:link',
    'ledger:append',
    'ledger:read',
  ],
  dealer: ['party:read', 'asset:read', 'asset:register:vehicle', 'ledger:append', 'ledger:read'],
  buyback_operator: ['party:read', 'asset:read', 'ledger:append', 'ledger:read'],
  used_car_operator: ['party:read', 'asset:read', 'asset:register:vehicle', 'ledger:append', 'ledger:read'],
  dismantler: [
    'party:read',
    'asset:read',
    'asset:register:part',
    'asset:register:material-lot',
    'asset:link',
    'ledger:append',
    'ledger:read',
  ],
  battery_repurposer: [
    'party:read',
    'asset:read',
    'asset:register:battery',
    'asset:link',
    'ledger:append',
    'ledger:read',
  ],
  recycler: ['party:read', 'asset:read', 'asset:register:material-lot', 'ledger:append', 'ledger:read'],
  regulator: ['party:read', 'asset:read', 'ledger:read', 'payload:read-all', 'ledger:audit'],
  auditor: ['party:read', 'asset:read', 'ledger:read', 'payload:read-all', 'ledger:audit'],
};

export interface Principal {
  partyId: string;
  name: string;
  roles: PartyRole[];
}

export function mayPerform(principal: Principal, action: string): boolean {
  return principal.roles.some((role) => {
    const allowed = rolePermissions[role];
    return allowed.includes('*') || allowed.includes(action);
  });
}

const tokenPrefix = 'clp_';

/** A new API token: 32 random bytes, shown once; only its SHA-256 is stored. */
export function newApiToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeApiToken(token: string): boolean {
  return token.startsWith(tokenPrefix) && token.length === tokenPrefix.length + 43;
}

/** The key id written into log envelopes for events submitted with an API token. */
export function tokenKeyId(token: string): string {
  return `token:${hashApiToken(token).slice(0, 16)}`;
}
