/**
 * GB/T 34014-2017 code tables, as data (identifiers.md §2.2–2.4). Version 2025-01.
 *
 * Confirmed: product type P/M/C; chemistry B = LFP and E = ternary (NCM). Everything marked
 * UNVERIFIED below is our documented choice until the standard's tables are read; changing it
 * changes how existing codes decode, so bump the version and note why.
 */
export type BatteryProductType = 'pack' | 'module' | 'cell';
export type BatteryChemistry = 'NiMH' | 'LFP' | 'LMO' | 'LCO' | 'NCM' | 'SUPERCAPACITOR' | 'LTO' | 'OTHER';

/** GB/T 34014 §4 product type code (confirmed, identifiers.md §2.2). */
export const PRODUCT_TYPE_CODES: Readonly<Record<string, BatteryProductType>> = {
  P: 'pack',
  M: 'module',
  C: 'cell',
};

/**
 * Battery type code, position 5. Only B and E are confirmed; the rest are the letters commonly
 * given in secondary sources (identifiers.md §2.2) — UNVERIFIED. The Catena-X class `[A-GZ]`
 * fixes which letters exist, so every one of them needs a name.
 */
export const CHEMISTRY_CODES: ReadonlyArray<{
  code: string;
  chemistry: BatteryChemistry;
  confirmed: boolean;
}> = [
  { code: 'A', chemistry: 'NiMH', confirmed: false }, // 镍氢
  { code: 'B', chemistry: 'LFP', confirmed: true }, // 磷酸铁锂
  { code: 'C', chemistry: 'LMO', confirmed: false }, // 锰酸锂
  { code: 'D', chemistry: 'LCO', confirmed: false }, // 钴酸锂
  { code: 'E', chemistry: 'NCM', confirmed: true }, // 三元 (ternary; NCA shares the code)
  { code: 'F', chemistry: 'SUPERCAPACITOR', confirmed: false }, // 超级电容器
  { code: 'G', chemistry: 'LTO', confirmed: false }, // 钛酸锂
  { code: 'Z', chemistry: 'OTHER', confirmed: false }, // 其他
];

/**
 * Production year, UNVERIFIED (identifiers.md §2.3). Choice: consecutive years from 2011 over
 * the Catena-X year class in its own order, 1–9 then A–Y skipping I, O, Q (Z is outside the
 * class). This agrees with the one public decoder config found (0 = 2010, 1 = 2011 …, A = 2020
 * skipping I/O/Q) on every character the class admits; the class has no 0, so 2010 cannot be
 * coded — consistent with the standard entering into force in 2018. Range 2011–2041.
 * The class admits `I`; we reject it as an authoring slip (§2.3), which also keeps the day
 * table below at exactly 31 entries.
 */
export const PRODUCTION_YEAR_TABLE = { firstYear: 2011, codes: '123456789ABCDEFGHJKLMNPRSTUVWXY' } as const;

/** Month: 1–9, A = 10, B = 11, C = 12 — implied by the Catena-X class `[1-9A-C]` (§2.2). */
export const PRODUCTION_MONTH_CODES = '123456789ABC';

/**
 * Day, UNVERIFIED (§2.2). Choice: 1–9, then A–H = 10–17, J–N = 18–22, P = 23, R–Y = 24–31,
 * i.e. the Catena-X day class without `0` and `I`. Those 31 characters give exactly days 1–31,
 * which is why we read `I` as a slip and `0` as "no day" (rejected).
 */
export const PRODUCTION_DAY_CODES = '123456789ABCDEFGHJKLMNPRSTUVWXY';
