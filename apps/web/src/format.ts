// Pure display helpers: labels in Chinese and English, times in UTC, money from minor units, units
// from field names. No I/O, no React, so they are tested directly (format.test.ts).
import type { Asset, CatalogueRow } from './api-types.ts';

export const assetKinds = [
  'vehicle',
  'battery-pack',
  'battery-module',
  'battery-cell',
  'part',
  'material-lot',
] as const;
export type AssetKind = (typeof assetKinds)[number];

const kindLabels: Record<AssetKind, [zh: string, en: string]> = {
  vehicle: ['整车', 'Vehicle'],
  'battery-pack': ['电池包', 'Battery pack'],
  'battery-module': ['电池模组', 'Battery module'],
  'battery-cell': ['电芯', 'Battery cell'],
  part: ['零部件', 'Part'],
  'material-lot': ['材料批次', 'Material lot'],
};

const stateLabels: Record<string, string> = {
  registered: '已登记',
  produced: '已生产',
  sold: '已售出',
  in_use: '使用中',
  returned: '已回购',
  in_stock: '在库',
  listed: '已上架',
  wholesaled: '已批发',
  elv_received: '报废接收',
  certified: '已出具回收证明',
  deregistered: '已注销',
  dismantled: '已拆解',
  graded: '已分级',
  installed: '已装配',
  deployed: '已投运',
  removed: '已拆卸',
  tested: '已检测',
  retired: '已退役',
  repurposed: '已梯次利用',
  disassembled: '已拆分',
  recycled: '已再生利用',
  harvested: '已拆回',
  scrapped: '已报废',
  recovered: '已回收',
  shipped: '已发运',
};

const flagLabels: Record<string, string> = {
  odometer_rollback_suspected: '疑似里程回调 Odometer rollback suspected',
};

const checkLabels: Record<string, string> = {
  'bundle format': '文件格式',
  'checkpoint signature': '检查点签名',
  'inclusion proofs': '包含证明',
  'payload commitments': '内容承诺',
  subject: '主体一致',
  'subject chain': '事件链完整',
};

export function isAssetKind(value: string): value is AssetKind {
  return (assetKinds as readonly string[]).includes(value);
}

/** "整车 Vehicle"; unknown kinds are shown as they are. */
export function kindLabel(kind: string): string {
  return isAssetKind(kind) ? kindLabels[kind].join(' ') : kind;
}

/** "使用中 in use". */
export function stateLabel(state: string): string {
  const en = state.replaceAll('_', ' ');
  const zh = stateLabels[state];
  return zh ? `${zh} ${en}` : en;
}

/** "疑似里程回调 Odometer rollback suspected"; unknown codes in words. */
export function flagLabel(code: string): string {
  return flagLabels[code] ?? sentenceCase(code.replaceAll('_', ' '));
}

/** The Chinese name of a history-bundle check, next to its English name. */
export function checkLabel(name: string): string {
  const zh = checkLabels[name];
  return zh ? `${zh} ${name}` : name;
}

/** "vehicle.odometer_read" → "Odometer read". */
export function eventTypeLabel(type: string): string {
  const action = type.slice(type.indexOf('.') + 1);
  return sentenceCase(action.replaceAll('_', ' '));
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** ISO 8601 → "2025-06-12 02:00 UTC" (times are UTC throughout Carloop); seconds only when set. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  const seconds = text.slice(17, 19) === '00' ? '' : text.slice(16, 19);
  return `${text.slice(0, 10)} ${text.slice(11, 16)}${seconds} UTC`;
}

/** The value of a `datetime-local` input read as UTC: "2024-01-01T08:30" → "2024-01-01T08:30:00Z". */
export function utcFromPickerValue(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value);
  return match ? `${match[1]}T${match[2]}${match[3] ?? ':00'}Z` : null;
}

/** A time as a `datetime-local` value in UTC, to the minute. */
export function pickerValueFromDate(date: Date): string {
  return date.toISOString().slice(0, 16);
}

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

/** A decimal amount in major units: "CNY 231,900.00". */
export function formatMoney(amount: number, currency: string): string {
  const digits = fractionDigits(currency);
  const number = new Intl.NumberFormat('en', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
  return `${currency} ${number}`;
}

/** Money as the log stores it, integer minor units: {amountMinor: 25980000, currency: "CNY"} → "CNY 259,800.00". */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  return formatMoney(amountMinor / 10 ** fractionDigits(currency), currency);
}

export function isMinorUnitMoney(value: unknown): value is { amountMinor: number; currency: string } {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    Object.keys(record).length === 2 &&
    typeof record.amountMinor === 'number' &&
    typeof record.currency === 'string'
  );
}

const unitSuffixes: [suffix: string, unit: string][] = [
  ['Kwh', 'kWh'],
  ['Km', 'km'],
  ['Kg', 'kg'],
  ['Pct', '%'],
  ['Months', 'months'],
];

/** A field name in words with its unit: "ratedCapacityKwh" → "Rated capacity (kWh)". */
export function fieldLabel(key: string): string {
  let name = key;
  let unit = '';
  for (const [suffix, label] of unitSuffixes) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      name = name.slice(0, -suffix.length);
      unit = ` (${label})`;
      break;
    }
  }
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .map((word) => acronyms[word] ?? word)
    .join(' ');
  return sentenceCase(words) + unit;
}

const acronyms: Record<string, string> = {
  id: 'ID',
  vin: 'VIN',
  msrp: 'MSRP',
  gfv: 'GFV',
  soh: 'SOH',
  elv: 'ELV',
  oem: 'OEM',
  bms: 'BMS',
};

/**
 * An asset record for display: amounts named "…Price", "…Value" or "…Amount" shown with the
 * record's `currency` (major units, as the API sends them), which then needs no row of its own.
 */
export function withMoneyShown(record: Record<string, unknown>): Record<string, unknown> {
  const currency = record.currency;
  if (typeof currency !== 'string' || currency === '') return record;
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'currency') continue;
    shown[key] =
      typeof value === 'number' && /(price|value|amount)$/i.test(key) ? formatMoney(value, currency) : value;
  }
  return shown;
}

/** One scalar field value for display, with thousands separators for large numbers. */
export function formatScalar(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes 是' : 'no 否';
  if (typeof value === 'number') {
    if (/year$/i.test(key)) return String(value);
    return new Intl.NumberFormat('en', { maximumFractionDigits: 3 }).format(value);
  }
  if (typeof value === 'string' && /At$/.test(key)) return formatTime(value);
  return String(value);
}

/** One line that tells assets of a kind apart in a list. */
export function assetSummary(asset: Asset): string {
  const a = asset as Record<string, unknown>;
  const join = (...parts: unknown[]) =>
    parts.filter((p) => p !== null && p !== undefined && p !== '').join(' · ');
  switch (asset.kind) {
    case 'vehicle':
      return join(
        [a.make, a.model, a.trim].filter(Boolean).join(' '),
        a.modelYear,
        typeof a.powertrain === 'string' ? a.powertrain.toUpperCase() : null,
      );
    case 'battery-pack':
    case 'battery-module':
    case 'battery-cell':
      return join(
        a.chemistry,
        typeof a.ratedCapacityKwh === 'number' ? `${a.ratedCapacityKwh} kWh` : null,
        typeof a.massKg === 'number' ? `${a.massKg} kg` : null,
      );
    case 'part':
      return join(a.name, a.partNumber, a.fiveAssembly ? '五大总成 major assembly' : null);
    case 'material-lot':
      return join(a.material, typeof a.massKg === 'number' ? `${formatScalar('massKg', a.massKg)} kg` : null);
    default:
      return '';
  }
}

export interface AssetTally {
  total: number;
  byKind: { kind: string; total: number; states: { state: string; count: number }[] }[];
}

/** Counts assets by kind and state, kinds in catalogue order, states by count then name. */
export function tallyAssets(assets: readonly Pick<Asset, 'kind' | 'state'>[]): AssetTally {
  const counts = new Map<string, Map<string, number>>();
  for (const { kind, state } of assets) {
    const states = counts.get(kind) ?? new Map<string, number>();
    states.set(state, (states.get(state) ?? 0) + 1);
    counts.set(kind, states);
  }
  return orderedTally(counts);
}

/** The server's counts (GET /assets/counts) in the same order as `tallyAssets`. */
export function tallyFromCounts(counts: AssetCounts): AssetTally {
  const byKind = new Map<string, Map<string, number>>();
  for (const [kind, entry] of Object.entries(counts.byKind))
    byKind.set(kind, new Map(Object.entries(entry.byState)));
  return orderedTally(byKind);
}

export interface AssetCounts {
  total: number;
  byKind: Record<string, { total: number; byState: Record<string, number> }>;
}

function orderedTally(counts: Map<string, Map<string, number>>): AssetTally {
  const order = (kind: string) => {
    const index = (assetKinds as readonly string[]).indexOf(kind);
    return index < 0 ? assetKinds.length : index;
  };
  const byKind = [...counts.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([kind, states]) => ({
      kind,
      total: [...states.values()].reduce((sum, n) => sum + n, 0),
      states: [...states.entries()]
        .map(([state, count]) => ({ state, count }))
        .sort((x, y) => y.count - x.count || x.state.localeCompare(y.state)),
    }));
  return { total: byKind.reduce((sum, k) => sum + k.total, 0), byKind };
}

/** Every state an asset of each kind can be in, from the event catalogue (GET /ledger/types). */
export function statesByKind(catalogue: readonly CatalogueRow[]): Record<string, string[]> {
  const states: Record<string, Set<string>> = {};
  for (const row of catalogue) {
    const set = states[row.subjectKind] ?? new Set(['registered']);
    states[row.subjectKind] = set;
    for (const from of Array.isArray(row.fromStates) ? row.fromStates : []) set.add(from);
    if (row.toState) set.add(row.toState);
  }
  return Object.fromEntries(Object.entries(states).map(([kind, set]) => [kind, [...set]]));
}

/** The first characters of a hash, enough to tell hashes apart on screen. */
export function shortHash(hash: string, length = 12): string {
  return hash.length <= length ? hash : `${hash.slice(0, length)}…`;
}

/** A safe download name for a subject id (part ids contain "/"). */
export function bundleFileName(subjectId: string): string {
  return `carloop-history-${subjectId.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

export interface OdometerReading {
  subjectSeq: number | null;
  occurredAt: string | null;
  type: string;
  km: number;
  /** The highest earlier reading, when this one is below it. */
  fellFromKm?: number;
}

/**
 * The odometer readings in a vehicle's disclosed events, each below the highest earlier reading
 * marked — the server's `odometer_rollback_suspected` rule (lifecycle.machine.ts, flagsOf), redone
 * on the bundle so a buyer sees it without asking the server.
 */
export function odometerReadings(
  events: readonly {
    type: string | null;
    subjectSeq: number | null;
    occurredAt: string | null;
    payload?: unknown;
  }[],
): OdometerReading[] {
  const readings: OdometerReading[] = [];
  let highest: number | undefined;
  for (const event of events) {
    if (!event.type?.startsWith('vehicle.') || typeof event.payload !== 'object' || event.payload === null)
      continue;
    const km = (event.payload as { odometerKm?: unknown }).odometerKm;
    if (typeof km !== 'number' || !Number.isFinite(km)) continue;
    readings.push({
      subjectSeq: event.subjectSeq,
      occurredAt: event.occurredAt,
      type: event.type,
      km,
      ...(highest !== undefined && km < highest ? { fellFromKm: highest } : {}),
    });
    highest = Math.max(km, highest ?? km);
  }
  return readings;
}
