/**
 * The Battery Pass attribute longlist v1.2 (93 attributes) as the access-control table: who may see
 * each attribute under Reg. (EU) 2023/1542 Art. 77(2). Read at run time from shared/data.
 */
import { parse } from 'csv-parse/sync';
import { readShared } from './passports.shared-data.ts';

export const accessLevels = ['public', 'legitimate-interest', 'authority'] as const;
export type AccessLevel = (typeof accessLevels)[number];

export interface LonglistAttribute {
  number: number;
  chapter: string;
  category: string;
  attribute: string;
  accessRight: string;
  /** The lowest access level that sees the attribute. */
  level: AccessLevel;
  behaviour: string;
  granularity: string;
}

/**
 * Annex XIII points and who sees them (traceability.md §2.1): point 1 public; 2 + 4 persons with a
 * legitimate interest (repairers, remanufacturers, second-life operators, recyclers); 2 + 3
 * notified bodies, market-surveillance authorities and the Commission ("authority" here sees all).
 */
export function levelOfAccessRight(right: string): AccessLevel {
  const r = right.trim().toLowerCase();
  if (r === 'public') return 'public';
  if (r.startsWith('persons with a legitimate interest')) return 'legitimate-interest';
  if (r.startsWith('notified bodies')) return 'authority';
  throw new Error(`unknown access right in the longlist: "${right}"`);
}

export const levelRank = (level: AccessLevel) => accessLevels.indexOf(level);

let cached: Map<number, LonglistAttribute> | undefined;

export const longlistFile = 'batterypass/docs/1.2/2025_Battery_Passport_Data_Attributes_V1.2.longlist.csv';

export function longlist(): Map<number, LonglistAttribute> {
  if (cached) return cached;
  const rows = parse(readShared(...longlistFile.split('/')), {
    columns: true,
    skip_empty_lines: true,
  }) as Array<Record<string, string>>;
  cached = new Map(
    rows.map((r) => {
      const number = Number(r['#']);
      const accessRight = r['Access rights according to Battery Regulation'] ?? '';
      return [
        number,
        {
          number,
          chapter: r['DIN DKE Spec 99100 Chapter'] ?? '',
          category: r['Attribute category'] ?? '',
          attribute: (r.Attribute ?? '').trim(),
          accessRight,
          level: levelOfAccessRight(accessRight),
          behaviour: r['Data behavioural characteristic: static vs. dynamic'] ?? '',
          granularity: r['Granularity level I: Model vs individual battery'] ?? '',
        },
      ];
    }),
  );
  return cached;
}
