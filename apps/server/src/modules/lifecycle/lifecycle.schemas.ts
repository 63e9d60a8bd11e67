/**
 * The vocabulary event payloads are written in: money, instants, identifiers, measures.
 * Units follow the house style (STYLE.md): integer minor units with an ISO 4217 code, km, kg,
 * kWh, ISO 8601 UTC instants.
 *
 * The log is permanent (ARCHITECTURE.md, "Personal data never enters the log"), so there is no
 * schema here for names, ID-card numbers, addresses, phone numbers or licence plates: people and
 * organisations appear only as opaque party ids.
 */
import { checkBatteryCode, isValidBatteryCode, isValidVin, VIN_PATTERN } from '@carloop/codes';
import { z } from 'zod';

export const assetKinds = [
  'vehicle',
  'battery-pack',
  'battery-module',
  'battery-cell',
  'part',
  'material-lot',
] as const;
export type AssetKind = (typeof assetKinds)[number];
export const batteryKinds = ['battery-pack', 'battery-module', 'battery-cell'] as const;
export type BatteryKind = (typeof batteryKinds)[number];

/** ISO 4217 amount in minor units (fen, cents); prices, values and charges are never negative. */
export const money = z.strictObject({
  amountMinor: z.int().nonnegative().meta({ description: 'integer minor units, e.g. fen for CNY' }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in upper case, e.g. CNY'),
});
export type Money = z.output<typeof money>;

/** ISO 8601 instant in UTC (`Z` suffix; offsets are converted at the edge, not stored). */
export const instant = z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2026-01-31T08:00:00Z' });

/**
 * Opaque id of a party, contract, site, listing…: never a person's name or document number.
 * Same character set as the assets module's part and lot ids.
 */
export const opaqueId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'an opaque id: letters, digits and . _ : / - (max 100)');
export const partyId = opaqueId.meta({ description: 'opaque party id (no personal data in the log)' });

// ISO 3779: 17 characters without I, O, Q; check digit and year code as enforced by @carloop/codes.
export const vin = z
  .string()
  .regex(VIN_PATTERN, 'a 17-character VIN (ISO 3779, no I, O or Q)')
  .refine(isValidVin, 'not a valid VIN (check digit or model-year code)');

// GB/T 34014-2017: 24 characters, or 19 for a cascade-use (梯次利用) product; fields checked by @carloop/codes.
export const batteryCode = z
  .string()
  .regex(
    /^(?:[A-Z0-9]{24}|[A-Z0-9]{19})$/,
    'a GB/T 34014 battery code (24 characters, or 19 for cascade use)',
  )
  .refine(isValidBatteryCode, 'not a valid GB/T 34014 battery code');

/** The asset kind a battery code names: GB/T 34014 position 4 is P (pack), M (module) or C (cell). */
export function batteryKindOfCode(code: string): BatteryKind | null {
  const type = checkBatteryCode(code).fields.productType;
  return type === null ? null : `battery-${type}`;
}

/** A battery code whose product type (position 4) is the given kind. */
export const batteryCodeOf = (kinds: readonly BatteryKind[]) =>
  batteryCode.refine((code) => kinds.includes(batteryKindOfCode(code) as BatteryKind), {
    message: `the code's product type (position 4) must be ${kinds.map((k) => k.replace('battery-', '')).join(' or ')}`,
  });

export const partId = opaqueId;
export const lotId = opaqueId;

export const distanceKm = z.number().nonnegative().max(10_000_000);
export const massKg = z.number().positive().max(10_000_000);
export const energyKwh = z.number().positive().max(1_000_000);
// SOH may read slightly above 100 % on a new pack whose real capacity beats its rating.
export const sohPercent = z.number().min(0).max(120);
export const percent = z.number().min(0).max(100);
export const shortText = z.string().min(1).max(200);

/** Asset reference as it appears inside a payload (a host, a source of material). */
export const assetRef = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('vehicle'), id: vin }),
  z.strictObject({ kind: z.literal('battery-pack'), id: batteryCodeOf(['battery-pack']) }),
  z.strictObject({ kind: z.literal('battery-module'), id: batteryCodeOf(['battery-module']) }),
  z.strictObject({ kind: z.literal('battery-cell'), id: batteryCodeOf(['battery-cell']) }),
  z.strictObject({ kind: z.literal('part'), id: partId }),
]);
export type AssetRef = { kind: AssetKind; id: string };

/** Buyback guarantee (保值回购) agreed at sale: guaranteed future value over a term and a distance allowance. */
export const guarantee = z.strictObject({
  contractId: opaqueId,
  gfv: money.meta({ description: 'guaranteed future value at the end of the term' }),
  termMonths: z.int().min(1).max(120),
  distanceAllowanceKm: z.int().positive().max(2_000_000),
});
