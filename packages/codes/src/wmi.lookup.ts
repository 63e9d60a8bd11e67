/**
 * World manufacturer identifier (VIN positions 1–3, ISO 3780): region and country hints.
 * Both are display hints from secondary tables (identifiers.md §1.3), never validation.
 */
import { WMI_COUNTRY_RANGES } from './wmi-countries.data.ts';

export type VinRegion = 'Africa' | 'Asia' | 'Europe' | 'North America' | 'Oceania' | 'South America';

// identifiers.md §1.3 (solidvin.com, python-libvin). `0` → South America appears in one source
// only; we keep it because a hint that is sometimes right beats none.
const REGION_BY_FIRST_CHARACTER: ReadonlyArray<readonly [RegExp, VinRegion]> = [
  [/^[A-H]$/, 'Africa'],
  [/^[J-NPR]$/, 'Asia'],
  [/^[S-Z]$/, 'Europe'],
  [/^[1-5]$/, 'North America'],
  [/^[67]$/, 'Oceania'],
  [/^[890]$/, 'South America'],
];

/** Region of a VIN from its first character, or null when the character is not a WMI start. */
export function wmiRegion(vin: string): VinRegion | null {
  const first = vin.charAt(0);
  return REGION_BY_FIRST_CHARACTER.find(([pattern]) => pattern.test(first))?.[1] ?? null;
}

/** Country of a VIN from its first two characters, or null when the table has no entry. */
export function wmiCountry(vin: string): string | null {
  const [first, second] = [vin.charAt(0), vin.charAt(1)];
  if (first === '' || second === '') return null;
  return WMI_COUNTRY_RANGES.find((r) => r.first === first && r.second.includes(second))?.country ?? null;
}

/** True for WMIs allocated to North America (first character 1–5), where 49 CFR 565 applies. */
export const isNorthAmericanWmi = (vin: string): boolean => /^[1-5]/.test(vin);
