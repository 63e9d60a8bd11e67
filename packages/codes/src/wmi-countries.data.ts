/**
 * WMI (positions 1–2) → country, as data.
 *
 * Version 2025-01 of this table. Source: SECONDARY — `h3/python-libvin:libvin/static.py`
 * (`WORLD_MANUFACTURER_MAP`) cross-checked with the ranges listed in identifiers.md §1.3.
 * The ISO 3780 / SAE allocation table itself was not read (UNVERIFIED against it; newer
 * allocations may differ). A country is a hint for display, never a validation rule.
 *
 * `second` lists the allowed second characters explicitly (ISO 3780 orders them A–Z then 1–9, 0;
 * I, O, Q never occur). Where sources disagreed we kept the range the brief and §1.3 name.
 */
export interface WmiCountryRange {
  first: string;
  second: string;
  country: string;
}

const ANY = 'ABCDEFGHJKLMNPRSTUVWXYZ1234567890';

export const WMI_COUNTRY_RANGES: readonly WmiCountryRange[] = [
  // Africa
  { first: 'A', second: 'ABCDEFGH', country: 'South Africa' },
  { first: 'A', second: 'JKLMN', country: "Côte d'Ivoire" },
  { first: 'B', second: 'ABCDE', country: 'Angola' },
  { first: 'B', second: 'FGHJK', country: 'Kenya' },
  { first: 'B', second: 'LMNPR', country: 'Tanzania' },
  { first: 'C', second: 'ABCDE', country: 'Benin' },
  { first: 'C', second: 'FGHJK', country: 'Madagascar' },
  { first: 'C', second: 'LMNPR', country: 'Tunisia' },
  { first: 'D', second: 'ABCDE', country: 'Egypt' },
  { first: 'D', second: 'FGHJK', country: 'Morocco' },
  { first: 'D', second: 'LMNPR', country: 'Zambia' },
  { first: 'E', second: 'ABCDE', country: 'Ethiopia' },
  { first: 'E', second: 'FGHJK', country: 'Mozambique' },
  { first: 'F', second: 'ABCDE', country: 'Ghana' },
  { first: 'F', second: 'FGHJK', country: 'Nigeria' },
  // Asia
  { first: 'J', second: ANY, country: 'Japan' },
  { first: 'K', second: 'ABCDE', country: 'Sri Lanka' },
  { first: 'K', second: 'FGHJK', country: 'Israel' },
  { first: 'K', second: 'LMNPR', country: 'South Korea' },
  { first: 'L', second: ANY, country: 'China' },
  { first: 'M', second: 'ABCDE', country: 'India' },
  { first: 'M', second: 'FGHJK', country: 'Indonesia' },
  { first: 'M', second: 'LMNPR', country: 'Thailand' },
  { first: 'N', second: 'ABCDE', country: 'Philippines' },
  { first: 'N', second: 'FGHJK', country: 'Singapore' },
  { first: 'N', second: 'LMNPR', country: 'Malaysia' },
  { first: 'P', second: 'ABCDE', country: 'United Arab Emirates' },
  { first: 'P', second: 'FGHJK', country: 'Taiwan' },
  { first: 'P', second: 'LMNPR', country: 'Vietnam' },
  { first: 'P', second: 'STUVWXYZ0', country: 'Saudi Arabia' },
  // Europe
  { first: 'S', second: 'ABCDEFGHJKLM', country: 'United Kingdom' },
  { first: 'S', second: 'NPRST', country: 'Germany' },
  { first: 'S', second: 'UVWXYZ', country: 'Poland' },
  { first: 'S', second: '1234', country: 'Latvia' },
  { first: 'T', second: 'ABCDEFGH', country: 'Switzerland' },
  { first: 'T', second: 'JKLMNP', country: 'Czech Republic' },
  { first: 'T', second: 'RSTUV', country: 'Hungary' },
  { first: 'T', second: 'WXYZ1234567890', country: 'Portugal' },
  { first: 'U', second: 'HJKLM', country: 'Denmark' },
  { first: 'U', second: 'NPRST', country: 'Ireland' },
  { first: 'U', second: 'UVWXYZ', country: 'Romania' },
  { first: 'U', second: '567', country: 'Slovakia' },
  { first: 'V', second: 'ABCDE', country: 'Austria' },
  { first: 'V', second: 'FGHJKLMNPR', country: 'France' },
  { first: 'V', second: 'STUVW', country: 'Spain' },
  { first: 'V', second: 'XYZ12', country: 'Serbia' },
  { first: 'V', second: '345', country: 'Croatia' },
  { first: 'V', second: '67890', country: 'Estonia' },
  { first: 'W', second: ANY, country: 'Germany' },
  { first: 'X', second: 'ABCDE', country: 'Bulgaria' },
  { first: 'X', second: 'FGHJK', country: 'Greece' },
  { first: 'X', second: 'LMNPR', country: 'Netherlands' },
  // The source lists XS–XW as "USSR"; the allocation is used by Russian makers today.
  { first: 'X', second: 'STUVW', country: 'Russia' },
  { first: 'X', second: 'XYZ12', country: 'Luxembourg' },
  { first: 'X', second: '34567890', country: 'Russia' },
  { first: 'Y', second: 'ABCDE', country: 'Belgium' },
  { first: 'Y', second: 'FGHJK', country: 'Finland' },
  { first: 'Y', second: 'LMNPR', country: 'Malta' },
  { first: 'Y', second: 'STUVW', country: 'Sweden' },
  { first: 'Y', second: 'XYZ12', country: 'Norway' },
  { first: 'Y', second: '345', country: 'Belarus' },
  { first: 'Y', second: '67890', country: 'Ukraine' },
  { first: 'Z', second: 'ABCDEFGHJKLMNPR', country: 'Italy' },
  { first: 'Z', second: 'STUVW', country: 'Finland' },
  { first: 'Z', second: 'XYZ12', country: 'Slovenia' },
  { first: 'Z', second: '345', country: 'Lithuania' },
  // North America
  { first: '1', second: ANY, country: 'United States' },
  { first: '2', second: ANY, country: 'Canada' },
  { first: '3', second: 'ABCDEFGHJKLMNPRSTUVW', country: 'Mexico' },
  { first: '3', second: 'XYZ1234567', country: 'Costa Rica' },
  { first: '3', second: '890', country: 'Cayman Islands' },
  { first: '4', second: ANY, country: 'United States' },
  { first: '5', second: ANY, country: 'United States' },
  // Oceania
  { first: '6', second: 'ABCDEFGHJKLMNPRSTUVW', country: 'Australia' },
  { first: '7', second: 'ABCDE', country: 'New Zealand' },
  // South America
  { first: '8', second: 'ABCDE', country: 'Argentina' },
  { first: '8', second: 'FGHJK', country: 'Chile' },
  { first: '8', second: 'LMNPR', country: 'Ecuador' },
  { first: '8', second: 'STUVW', country: 'Peru' },
  { first: '8', second: 'XYZ12', country: 'Venezuela' },
  { first: '9', second: 'ABCDE', country: 'Brazil' },
  { first: '9', second: 'FGHJK', country: 'Colombia' },
  { first: '9', second: 'LMNPR', country: 'Paraguay' },
  { first: '9', second: 'STUVW', country: 'Uruguay' },
  { first: '9', second: 'XYZ12', country: 'Trinidad and Tobago' },
  { first: '9', second: '3456789', country: 'Brazil' },
];
