/**
 * The event catalogue: for each event type, which asset kinds it may happen to, from which states,
 * into which state, and what its payload is. Together with the declared states of each kind this
 * is the state machine the ledger checks on every append.
 */
import { z } from 'zod';
import { type EventType, payloadSchemas } from './lifecycle.payloads.ts';
import { type AssetKind, assetKinds, batteryKinds } from './lifecycle.schemas.ts';

/** `fromStates` of a creation event: the subject has no prior state because it does not exist yet. */
export const INITIAL = 'initial';
export type Initial = typeof INITIAL;

export interface EventTypeDefinition {
  readonly type: EventType;
  readonly subjectKinds: readonly AssetKind[];
  /** States the subject may be in; `'initial'` for a creation event (the subject must not exist). */
  readonly fromStates: readonly string[] | Initial;
  /** State after the event; `null` = unchanged (a fact recorded without moving the subject). */
  readonly toState: string | null;
  readonly payload: z.ZodType;
  readonly description: string;
}

// ---------------------------------------------------------------- declared states of each kind

const vehicleStates = [
  'produced',
  'sold',
  'in_use',
  'returned',
  'in_stock',
  'listed',
  'wholesaled',
  'elv_received',
  'certified',
  'deregistered',
  'dismantled',
] as const;
const packAndModuleStates = [
  'produced',
  'installed',
  'removed',
  'tested',
  'graded',
  'deployed',
  'retired',
  'repurposed',
  'disassembled',
  'recycled',
] as const;
// A cell has no components, so it is never disassembled.
const cellStates = packAndModuleStates.filter((s) => s !== 'disassembled');

interface StateModel {
  states: readonly string[];
  terminal: readonly string[];
}

const stateModels: Record<AssetKind, StateModel> = {
  vehicle: { states: vehicleStates, terminal: ['dismantled'] },
  // Repurposed: the identity passes to a new code (GB/T 34014 §4.1); disassembled: to the components;
  // recycled: Reg. (EU) 2023/1542 Art. 77(8), the passport "shall cease to exist".
  'battery-pack': { states: packAndModuleStates, terminal: ['repurposed', 'disassembled', 'recycled'] },
  'battery-module': { states: packAndModuleStates, terminal: ['repurposed', 'disassembled', 'recycled'] },
  'battery-cell': { states: cellStates, terminal: ['repurposed', 'recycled'] },
  part: { states: ['harvested', 'in_stock', 'sold', 'installed', 'scrapped'], terminal: ['scrapped'] },
  'material-lot': { states: ['recovered', 'shipped'], terminal: ['shipped'] },
};

// ---------------------------------------------------------------- the catalogue

const vehicle: readonly AssetKind[] = ['vehicle'];
const battery: readonly AssetKind[] = batteryKinds;
const part: readonly AssetKind[] = ['part'];
const materialLot: readonly AssetKind[] = ['material-lot'];

function define(
  type: EventType,
  subjectKinds: readonly AssetKind[],
  fromStates: readonly string[] | Initial,
  toState: string | null,
  description: string,
): EventTypeDefinition {
  return Object.freeze({
    type,
    subjectKinds,
    fromStates,
    toState,
    payload: payloadSchemas[type],
    description,
  });
}

// Where a used vehicle can be while it is on the road or in a dealer's hands.
const vehicleInService = ['in_use', 'returned', 'in_stock', 'listed', 'wholesaled'];

export const eventCatalogue: readonly EventTypeDefinition[] = Object.freeze([
  // vehicle: new-car life
  define('vehicle.produced', vehicle, INITIAL, 'produced', 'A new vehicle leaves the factory.'),
  define(
    'vehicle.battery_bound',
    vehicle,
    ['produced'],
    null,
    'The traction pack is bound to the VIN at production.',
  ),
  define('vehicle.sold', vehicle, ['produced'], 'sold', 'First sale, with or without a buyback guarantee.'),
  define(
    'vehicle.registered',
    vehicle,
    ['sold', 'wholesaled'],
    'in_use',
    'Registered to its keeper; on the road.',
  ),
  define('vehicle.odometer_read', vehicle, ['sold', ...vehicleInService], null, 'An odometer reading.'),
  define(
    'vehicle.serviced',
    vehicle,
    ['in_use', 'returned', 'in_stock', 'listed'],
    null,
    'Maintenance or repair.',
  ),
  define(
    'vehicle.accident_reported',
    vehicle,
    ['sold', ...vehicleInService],
    null,
    'An accident, flood or fire.',
  ),
  define(
    'vehicle.battery_health_reported',
    vehicle,
    ['in_use', 'returned', 'in_stock', 'listed'],
    null,
    'State of health of the fitted traction pack.',
  ),
  define(
    'vehicle.battery_replaced',
    vehicle,
    ['in_use', 'returned', 'in_stock'],
    null,
    'The traction pack is swapped for another in repair.',
  ),
  define('vehicle.ownership_transferred', vehicle, ['in_use'], null, 'A private change of keeper (过户).'),
  // vehicle: buyback and used-car operations. A guaranteed car may come back while the log still
  // has it as `sold` (its registration was never reported to the platform), hence `sold` below.
  define(
    'vehicle.buyback_exercised',
    vehicle,
    ['sold', 'in_use'],
    'returned',
    'The customer hands the car back at the GFV.',
  ),
  define(
    'vehicle.buyback_declined',
    vehicle,
    ['sold', 'in_use'],
    null,
    'The guarantee ends without a hand-back.',
  ),
  define(
    'vehicle.buyback_cancelled',
    vehicle,
    ['sold', 'in_use'],
    null,
    'The guarantee is voided before its end (accident exclusion, reversed sale).',
  ),
  define(
    'vehicle.stocked',
    vehicle,
    ['sold', 'in_use', 'returned', 'wholesaled'],
    'in_stock',
    'Taken into used-car stock (buyback, trade-in, purchase).',
  ),
  define(
    'vehicle.appraised',
    vehicle,
    vehicleInService,
    null,
    'Condition graded and valued (GB/T 30323-2013).',
  ),
  define('vehicle.reconditioned', vehicle, ['in_stock'], null, 'Reconditioning work completed.'),
  define('vehicle.listed', vehicle, ['in_stock'], 'listed', 'Offered for sale at a price.'),
  define('vehicle.delisted', vehicle, ['listed'], 'in_stock', 'Withdrawn from sale, back to stock.'),
  define('vehicle.resold', vehicle, ['listed', 'in_stock'], 'in_use', 'Sold again to an end customer.'),
  define(
    'vehicle.wholesaled',
    vehicle,
    ['returned', 'in_stock', 'listed'],
    'wholesaled',
    'Sold to the trade.',
  ),
  define(
    'vehicle.reserved',
    vehicle,
    ['in_stock', 'listed'],
    null,
    'Held for one buyer until a date (a deposit); nobody else may buy it meanwhile.',
  ),
  define(
    'vehicle.reservation_released',
    vehicle,
    ['in_stock', 'listed'],
    null,
    'A reservation ends without a sale (expired or cancelled).',
  ),
  define(
    'vehicle.disposition_decided',
    vehicle,
    ['returned', 'in_stock', 'listed'],
    null,
    'Resell, wholesale or dismantle decided, with the expected net value of the route.',
  ),
  // vehicle: end of life. Order 715 Art. 9: the recycler issues the certificate, then applies for
  // deregistration; Directive 2000/53/EC Art. 5(3): the CoD is a condition for deregistration.
  define(
    'vehicle.elv_received',
    vehicle,
    ['in_use', 'returned', 'in_stock', 'wholesaled'],
    'elv_received',
    'An end-of-life vehicle is handed to a qualified recycler.',
  ),
  define(
    'vehicle.recycling_certificate_issued',
    vehicle,
    ['elv_received'],
    'certified',
    'Recycling certificate (回收证明) or Certificate of Destruction issued.',
  ),
  define(
    'vehicle.deregistered',
    vehicle,
    ['certified'],
    'deregistered',
    'Registration cancelled (注销登记).',
  ),
  define('vehicle.dismantled', vehicle, ['deregistered'], 'dismantled', 'Dismantled on the qualified site.'),
  define(
    'vehicle.enrolled',
    vehicle,
    INITIAL,
    'in_use',
    'A vehicle already in service enters the log without a recorded production history (e.g. an ELV from outside the loop).',
  ),
  define(
    'vehicle.pretreated',
    vehicle,
    ['certified', 'deregistered'],
    null,
    'ELV pre-treatment done (GB 22128-2019): batteries out, airbags neutralised, fluids drained, refrigerant recovered.',
  ),
  // batteries: packs, modules, cells
  define(
    'battery.produced',
    battery,
    INITIAL,
    'produced',
    'A battery (new, repurposed or remanufactured) is made.',
  ),
  define(
    'battery.installed',
    battery,
    ['produced', 'graded'],
    'installed',
    'Fitted into a vehicle (pack), a pack (module, cell) or a module (cell).',
  ),
  define(
    'battery.health_reported',
    battery,
    ['installed', 'deployed'],
    null,
    'State of health read in service.',
  ),
  define('battery.removed', battery, ['installed'], 'removed', 'Taken out of its host.'),
  define(
    'battery.handed_over',
    battery,
    ['removed', 'tested', 'graded', 'retired'],
    null,
    'Custody passes to another enterprise.',
  ),
  define('battery.soh_tested', battery, ['removed', 'tested', 'graded'], 'tested', 'Residual energy tested.'),
  define('battery.graded', battery, ['tested'], 'graded', 'Graded and routed: reuse, repurpose or recycle.'),
  define(
    'battery.repurposed',
    battery,
    ['graded'],
    'repurposed',
    'Made into a cascade-use product with a new code; the original code ends here.',
  ),
  define(
    'battery.deployed',
    battery,
    ['produced'],
    'deployed',
    'Put into stationary or second-life service.',
  ),
  define(
    'battery.retired',
    battery,
    ['produced', 'removed', 'tested', 'graded', 'deployed'],
    'retired',
    'Taken out of service as waste.',
  ),
  define(
    'battery.disassembled',
    ['battery-pack', 'battery-module'],
    ['removed', 'tested', 'graded', 'retired'],
    'disassembled',
    'Taken apart into its modules or cells (GB/T 33598-2017).',
  ),
  define('battery.recycled', battery, ['graded', 'retired'], 'recycled', 'Fed into a recycling process.'),
  define(
    'battery.enrolled',
    ['battery-pack'],
    INITIAL,
    'installed',
    'A traction pack first seen inside an enrolled vehicle; no production history is claimed.',
  ),
  // parts
  define('part.harvested', part, INITIAL, 'harvested', 'A part is taken from an end-of-life vehicle.'),
  define('part.produced', part, INITIAL, 'in_stock', 'A new or remanufactured part enters stock.'),
  define(
    'part.stocked',
    part,
    ['harvested'],
    'in_stock',
    'Cleaned, marked and put into reusable-part stock.',
  ),
  define('part.sold', part, ['in_stock'], 'sold', 'Sold for reuse, remanufacturing or as scrap metal.'),
  define('part.installed', part, ['in_stock', 'sold'], 'installed', 'Fitted to a vehicle in repair.'),
  define(
    'part.scrapped',
    part,
    ['harvested', 'in_stock', 'sold', 'installed'],
    'scrapped',
    'Sent to smelting or shredding.',
  ),
  // material lots
  define(
    'material-lot.recovered',
    materialLot,
    INITIAL,
    'recovered',
    'A lot of recovered material is produced.',
  ),
  define('material-lot.assayed', materialLot, ['recovered'], null, 'Purity measured by a laboratory.'),
  define('material-lot.shipped', materialLot, ['recovered'], 'shipped', 'The lot leaves for its buyer.'),
]);

const byType = new Map<string, EventTypeDefinition>(eventCatalogue.map((d) => [d.type, d]));

export const definitionOf = (type: string): EventTypeDefinition | undefined => byType.get(type);

// ---------------------------------------------------------------- state queries

/** Every state a subject of this kind can be in. */
export const statesOf = (kind: AssetKind): readonly string[] => stateModels[kind].states;

/** States that accept no event at all. */
export const terminalStates = (kind: AssetKind): readonly string[] => stateModels[kind].terminal;

export const isTerminal = (kind: AssetKind, state: string): boolean =>
  stateModels[kind].terminal.includes(state);

/** States a subject of this kind can start in: the targets of its creation events. */
export function initialStates(kind: AssetKind): readonly string[] {
  const starts = eventCatalogue
    .filter((d) => d.fromStates === INITIAL && d.subjectKinds.includes(kind))
    .map((d) => d.toState as string);
  return [...new Set(starts)];
}

/** The `fromStates` of a definition restricted to the states this kind has. */
export function fromStatesFor(definition: EventTypeDefinition, kind: AssetKind): readonly string[] | Initial {
  if (definition.fromStates === INITIAL) return INITIAL;
  const declared = statesOf(kind);
  return definition.fromStates.filter((s) => declared.includes(s));
}

/** Event types a subject of this kind may receive in this state (`null` = does not exist yet). */
export function allowedEventTypes(kind: AssetKind, state: string | null): EventType[] {
  return eventCatalogue
    .filter((d) => d.subjectKinds.includes(kind))
    .filter((d) => {
      const from = fromStatesFor(d, kind);
      return state === null ? from === INITIAL : from !== INITIAL && from.includes(state);
    })
    .map((d) => d.type);
}

export const isAssetKind = (kind: string): kind is AssetKind =>
  (assetKinds as readonly string[]).includes(kind);

// ---------------------------------------------------------------- catalogue as JSON

export interface CatalogueRow {
  type: EventType;
  subjectKind: AssetKind;
  fromStates: string[] | Initial;
  toState: string | null;
  payloadSchema: Record<string, unknown>;
}

let rows: CatalogueRow[] | undefined;

/**
 * One row per (event type, subject kind), payload as JSON Schema (draft 2020-12) describing what
 * a submitter sends. Printed by `carloop ledger types --json`: keep the keys.
 */
export function catalogueJson(): CatalogueRow[] {
  rows ??= eventCatalogue.flatMap((d) => {
    const payloadSchema = z.toJSONSchema(d.payload, { io: 'input' }) as Record<string, unknown>;
    return d.subjectKinds.map((subjectKind) => {
      const from = fromStatesFor(d, subjectKind);
      return {
        type: d.type,
        subjectKind,
        fromStates: from === INITIAL ? INITIAL : [...from],
        toState: d.toState,
        payloadSchema,
      };
    });
  });
  return structuredClone(rows);
}
