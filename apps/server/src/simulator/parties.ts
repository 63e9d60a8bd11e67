/**
 * The simulated organisations: one OEM per make (it also makes the packs), dealers, a buyback
 * operator, a used-car operator, dismantlers, a battery repurposer and a recycler. Each gets an
 * Ed25519 key derived from the seed, registered with the parties module, and acts as a submitter
 * `{principal, keyId}` with that key's id — so the log says who did what, and the same seed gives
 * the same key ids (API tokens are random and never enter the log).
 */
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Db } from '../db/database.ts';
import type { Submitter } from '../modules/ledger/index.ts';
import { createParty, ed25519KeyId, localOperator, type PartyRole } from '../modules/parties/index.ts';

export interface Actor extends Submitter {
  /** USCC-free receiver code for battery hand-overs: a 9-digit DUNS-style number (ASSUMPTION). */
  duns: string;
}

export interface Cast {
  oems: Map<string, Actor>;
  dealers: Actor[];
  buyback: Actor;
  usedCars: Actor;
  dismantlers: Actor[];
  repurposer: Actor;
  recycler: Actor;
  operator: Actor;
}

async function actor(db: Db, seed: string, name: string, roles: PartyRole[], n: number): Promise<Actor> {
  const secret = createHash('sha256').update(`carloop-sim-key:${seed}:${name}`).digest();
  const publicKey = ed25519.getPublicKey(new Uint8Array(secret));
  const party = await createParty(db, localOperator, {
    name,
    roles,
    publicKey: Buffer.from(publicKey).toString('base64'),
  });
  return {
    principal: { partyId: party.id, name: party.name, roles: party.roles },
    keyId: ed25519KeyId(publicKey),
    duns: String(100_000_000 + n * 7_919).slice(0, 9),
  };
}

/** Create every party of the world (names carry a "(sim)" suffix so they cannot be mistaken for real firms). */
export async function createCast(
  db: Db,
  seed: string,
  makes: string[],
  counts: { dealers: number; dismantlers: number },
): Promise<Cast> {
  let n = 0;
  const make = (name: string, roles: PartyRole[]) => actor(db, seed, `${name} (sim)`, roles, ++n);
  const oems = new Map<string, Actor>();
  for (const m of makes) oems.set(m, await make(`${m} motors`, ['oem']));
  const dealers: Actor[] = [];
  for (let i = 1; i <= counts.dealers; i++) dealers.push(await make(`Dealer group ${i}`, ['dealer']));
  const buyback = await make('Loop buyback operator', ['buyback_operator']);
  const usedCars = await make('Loop used cars', ['used_car_operator']);
  const dismantlers: Actor[] = [];
  for (let i = 1; i <= counts.dismantlers; i++)
    dismantlers.push(await make(`Dismantler ${i}`, ['dismantler']));
  const repurposer = await make('Second-life storage', ['battery_repurposer']);
  const recycler = await make('Battery recycler', ['recycler']);
  const operator = await make('Loop platform operator', ['admin']);
  return { oems, dealers, buyback, usedCars, dismantlers, repurposer, recycler, operator };
}
