import { describe, expect, it } from 'vitest';
import {
  checkBatteryCode,
  formatBatteryCode,
  formatCascadeBatteryCode,
  InvalidIdentifierError,
  isValidBatteryCode,
} from './index.ts';

// identifiers.md §2.3: the example value of the Catena-X traction-battery-code model.
const CATENA_X_EXAMPLE = 'X12MCPM27KLPCLX2M2382320';
const CASCADE_EXAMPLE = 'X12MCPMX2M2382320RP';

const fieldsOf = (code: string) => checkBatteryCode(code).errors.map((e) => e.field);
const replaceAt = (code: string, position: number, char: string) =>
  `${code.slice(0, position - 1)}${char}${code.slice(position)}`;

describe('checkBatteryCode — standard form', () => {
  it('accepts and decodes the Catena-X example as a module', () => {
    expect(checkBatteryCode(CATENA_X_EXAMPLE)).toEqual({
      input: CATENA_X_EXAMPLE,
      valid: true,
      form: 'standard',
      fields: {
        manufacturer: 'X12',
        productType: 'module',
        chemistry: 'LMO',
        chemistryCode: 'C',
        specification: 'PM',
        traceability: '27KLPCL',
        production: { year: 2040, month: 2, day: 21 },
        serial: '2382320',
        cascadeProductType: null,
      },
      errors: [],
    });
    expect(isValidBatteryCode(CATENA_X_EXAMPLE)).toBe(true);
  });

  it('decodes the confirmed chemistries B = LFP and E = NCM', () => {
    expect(checkBatteryCode(replaceAt(CATENA_X_EXAMPLE, 5, 'B')).fields.chemistry).toBe('LFP');
    expect(checkBatteryCode(replaceAt(CATENA_X_EXAMPLE, 5, 'E')).fields.chemistry).toBe('NCM');
  });

  it.each([
    ['A', 10],
    ['B', 11],
    ['C', 12],
  ])('month %s is %i', (code, month) => {
    expect(checkBatteryCode(replaceAt(CATENA_X_EXAMPLE, 16, code)).fields.production.month).toBe(month);
  });

  it.each([
    ['1', 1],
    ['9', 9],
    ['A', 10],
    ['H', 17],
    ['J', 18],
    ['N', 22],
    ['P', 23],
    ['R', 24],
    ['Y', 31],
  ])('day %s is %i', (code, day) => {
    const code31 = replaceAt(CATENA_X_EXAMPLE, 16, '1'); // January has 31 days
    expect(checkBatteryCode(replaceAt(code31, 17, code)).fields.production.day).toBe(day);
  });

  it.each([
    ['1', 2011],
    ['9', 2019],
    ['A', 2020],
    ['H', 2027],
    ['J', 2028],
    ['P', 2033],
    ['R', 2034],
    ['Y', 2041],
  ])('year %s is %i (UNVERIFIED table, our choice)', (code, year) => {
    expect(checkBatteryCode(replaceAt(CATENA_X_EXAMPLE, 15, code)).fields.production.year).toBe(year);
  });
});

describe('checkBatteryCode — rejections name the field, position and character', () => {
  it.each(['', 'X12', 'X12MCPM27KLPCLX2M238232', 'X12MCPM27KLPCLX2M23823201', 'X12MCPMX2M2382320R'])(
    'rejects length %#, naming the accepted lengths',
    (code) => {
      const report = checkBatteryCode(code);
      expect(report).toMatchObject({ valid: false, form: null });
      expect(report.errors).toEqual([{ field: 'code', message: expect.stringMatching(/24.*19.*got/) }]);
      expect(report.fields.manufacturer).toBeNull();
    },
  );

  it('rejects lower case field by field, never upper-casing', () => {
    const report = checkBatteryCode(CATENA_X_EXAMPLE.toLowerCase());
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => e.field)).toEqual([
      'manufacturer',
      'productType',
      'chemistry',
      'specification',
      'traceability',
      'production.year',
      'production.day',
    ]);
    expect(report.errors[0]!.message).toBe(
      'manufacturer (positions 1–3): "x" at position 1 (lower-case; codes are upper-case only) is not allowed; ' +
        'allowed: A–Z, 0–9',
    );
    expect(report.fields).toMatchObject({ manufacturer: null, serial: '2382320', production: { month: 2 } });
  });

  it('reports every bad field at once and decodes the rest', () => {
    const code = ['X1-', 'Q', 'H', '27', 'KLPCLZD', 'O', 'D', '0', '238232A'].join('');
    expect(code).toHaveLength(24);
    const report = checkBatteryCode(code);
    expect(report.errors.map((e) => e.field)).toEqual([
      'manufacturer',
      'productType',
      'chemistry',
      'production.year',
      'production.month',
      'production.day',
      'serial',
    ]);
    expect(report.fields).toMatchObject({ specification: '27', traceability: 'KLPCLZD', manufacturer: null });
  });

  it('explains I in the year and 0 in the day, which the Catena-X pattern admits', () => {
    const year = checkBatteryCode(replaceAt(CATENA_X_EXAMPLE, 15, 'I'));
    expect(year.errors).toEqual([
      { field: 'production.year', message: expect.stringContaining('authoring slip') },
    ]);
    const day = checkBatteryCode(replaceAt(CATENA_X_EXAMPLE, 17, '0'));
    expect(day.errors).toEqual([{ field: 'production.day', message: expect.stringContaining('no day 0') }]);
  });

  it('lists several bad characters of one field in one error', () => {
    const report = checkBatteryCode(replaceAt(replaceAt(CATENA_X_EXAMPLE, 19, 'A'), 22, 'b'));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.message).toMatch(
      /serial \(positions 18–24\): "A" at position 19, "b" at position 22/,
    );
  });

  it('rejects a date that is not in the calendar', () => {
    const feb30 = replaceAt(replaceAt(CATENA_X_EXAMPLE, 16, '2'), 17, 'U'); // U = 27 … 30 = X
    expect(checkBatteryCode(feb30).valid).toBe(true);
    const report = checkBatteryCode(replaceAt(feb30, 17, 'W')); // day 29 in 2040, a leap year
    expect(report.valid).toBe(true);
    const bad = checkBatteryCode(replaceAt(feb30, 17, 'X'));
    expect(bad.errors).toEqual([{ field: 'production.day', message: expect.stringContaining('2040-02') }]);
    expect(bad.fields.production).toEqual({ year: 2040, month: 2, day: null });
    expect(fieldsOf(replaceAt(replaceAt(feb30, 15, 'P'), 17, 'W'))).toEqual(['production.day']); // 2033
  });
});

describe('checkBatteryCode — cascade-use form (identifiers.md §2.3)', () => {
  it('decodes the 19-character form without traceability', () => {
    expect(checkBatteryCode(CASCADE_EXAMPLE)).toMatchObject({
      valid: true,
      form: 'cascade',
      fields: { productType: 'module', traceability: null, cascadeProductType: 'pack', serial: '2382320' },
    });
  });

  it('requires the literal R and a product type at the end', () => {
    expect(fieldsOf(replaceAt(CASCADE_EXAMPLE, 18, 'X'))).toEqual(['cascadeMarker']);
    expect(fieldsOf(replaceAt(CASCADE_EXAMPLE, 19, 'X'))).toEqual(['cascadeProductType']);
  });
});

describe('formatBatteryCode / formatCascadeBatteryCode', () => {
  const parts = {
    manufacturer: 'X12',
    productType: 'module',
    chemistry: 'LMO',
    specification: 'PM',
    traceability: '27KLPCL',
    production: { year: 2040, month: 2, day: 21 },
    serial: 2382320,
  } as const;

  it('reproduces the Catena-X example', () => {
    expect(formatBatteryCode(parts)).toBe(CATENA_X_EXAMPLE);
  });

  it('produces the cascade form', () => {
    const { traceability: _, ...rest } = parts;
    expect(formatCascadeBatteryCode({ ...rest, cascadeProductType: 'pack' })).toBe(CASCADE_EXAMPLE);
  });

  it('pads a numeric serial to seven digits', () => {
    expect(formatBatteryCode({ ...parts, serial: 42 }).slice(17)).toBe('0000042');
  });

  it('throws every field-level reason at once', () => {
    const call = () =>
      formatBatteryCode({
        ...parts,
        manufacturer: 'x1',
        specification: 'p!',
        production: { year: 2010, month: 13, day: 0 },
        serial: -1,
      });
    expect(call).toThrow(InvalidIdentifierError);
    try {
      call();
    } catch (error) {
      expect((error as InvalidIdentifierError).errors.map((e) => e.field)).toEqual([
        'manufacturer',
        'production.year',
        'production.month',
        'production.day',
        'serial',
        'specification',
      ]);
    }
  });
});
