export { mayPerform, type PartyRole, type Principal, partyRoles, rolePermissions } from './parties.model.ts';
export {
  addPartyKey,
  authenticate,
  type CreatedParty,
  createParty,
  ed25519KeyId,
  findActiveKey,
  getParty,
  issueApiToken,
  listParties,
  localOperator,
  type PartyKeyRecord,
  type PartyRecord,
  parseEd25519PublicKey,
  principalOf,
  requirePermission,
} from './parties.service.ts';
