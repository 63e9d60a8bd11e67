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
    // Batteries and passports (issue 8): the OEM uploads traceability data (2018 rule Arts. 9–11).
    'battery:read',
    'battery:produce',
    'battery:hand-over',
    'passport:declare',
    'traceability:report',
    'traceability:submit',
  ],
  dealer: [
    'party:read',
    'asset:read',
    'asset:register:vehicle',
    'ledger:append',
    'ledger:read',
    'dismantling:stock',
    // Guaranteed buyback (issue 5): the dealer quotes the guarantee and issues the contract at sale.
    'buyback:quote',
    'buyback:contract',
    'buyback:read',
    // Used-car operations (issue 6): a dealer runs its own used-car lot.
    'remarketing:read',
    'remarketing:operate',
  ],
  buyback_operator: [
    'party:read',
    'asset:read',
    'ledger:append',
    'ledger:read',
    // Guaranteed buyback (issue 5): the whole contract life, settlement and the book's risk; a
    // contract registers the vehicle it covers when the platform does not know it yet.
    'asset:register:vehicle',
    'buyback:quote',
    'buyback:contract',
    'buyback:read',
    'buyback:settle',
    'buyback:portfolio',
    'buyback:remark',
  ],
  used_car_operator: [
    'party:read',
    'asset:read',
    'asset:register:vehicle',
    'ledger:append',
    'ledger:read',
    'dismantling:stock',
    // Used-car operations (issue 6): stock, appraisal, reconditioning, pricing, sale, disposition.
    'remarketing:read',
    'remarketing:operate',
    'remarketing:decide',
  ],
  dismantler: [
    'party:read',
    'asset:read',
    'asset:register:part',
    'asset:register:material-lot',
    'asset:link',
    'ledger:append',
    'ledger:read',
    // ELVs from outside the loop and their traction packs are registered at intake.
    'asset:register:vehicle',
    'asset:register:battery',
    'dismantling:operate',
    'dismantling:read',
    'dismantling:stock',
    'dismantling:report',
    'battery:read',
    'battery:test',
    'battery:hand-over',
    'passport:read:legitimate-interest',
    'traceability:report',
    'traceability:submit',
  ],
  battery_repurposer: [
    'party:read',
    'asset:read',
    'asset:register:battery',
    'asset:link',
    'ledger:append',
    'ledger:read',
    'battery:read',
    'battery:test',
    'battery:grade',
    'battery:repurpose',
    'battery:deploy',
    'battery:hand-over',
    'passport:declare',
    'passport:read:legitimate-interest',
    'traceability:report',
    'traceability:submit',
  ],
  recycler: [
    'party:read',
    'asset:read',
    'asset:register:material-lot',
    'ledger:append',
    'ledger:read',
    'battery:read',
    'battery:test',
    'battery:grade',
    'battery:hand-over',
    'battery:recycle',
    'battery:recover',
    'passport:read:legitimate-interest',
    'traceability:report',
    'traceability:submit',
  ],
  regulator: [
    'party:read',
    'asset:read',
    'ledger:read',
    'payload:read-all',
    'ledger:audit',
    'dismantling:read',
    'dismantling:report',
    'battery:read',
    'passport:read:authority',
    'traceability:report',
  ],
  auditor: [
    'party:read',
    'asset:read',
    'ledger:read',
    'payload:read-all',
    'ledger:audit',
    'dismantling:read',
    'dismantling:report',
    'battery:read',
    'passport:read:authority',
    'traceability:report',
    'buyback:read',
    'buyback:portfolio',
    'remarketing:read',
  ],
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

/** Every action the principal's roles grant (`*` for the operator). */
export function permissionsOf(principal: Principal): string[] {
  return [...new Set(principal.roles.flatMap((role) => rolePermissions[role]))].sort();
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
