import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BatteryCodeParts,
  CHEMISTRY_CODES,
  checkBatteryCode,
  formatBatteryCode,
  formatCascadeBatteryCode,
} from './index.ts';

// identifiers.md §2.3, copied verbatim: every code we accept must match it.
const CATENA_X_PATTERN =
  /(^[A-Z0-9]{3}[PMC]{1}[A-GZ]{1}[A-Z0-9]{2}[A-Z0-9]{7}[1-9A-GH-NPR-Y]{1}[1-9A-C]{1}[0-9A-GH-NPR-Y]{1}[0-9]{7}$)|(^[A-Z0-9]{3}[PMC]{1}[A-GZ]{1}[A-Z0-9]{2}[1-9A-GH-NPR-Y]{1}[1-9A-C]{1}[0-9A-GH-NPR-Y]{1}[0-9]{7}[R]{1}[PMC]{1}$)/;

// Written from identifiers.md §2.2–2.3 independently of the implementation's layout file.
// Year and day classes are the Catena-X ones minus I (and 0 for the day), our documented choice.
const ALNUM = /^[A-Z0-9]$/;
const YEAR_OR_DAY = /^[1-9A-HJ-NPR-Y]$/;
const COMMON_PREFIX: Array<[string, RegExp]> = [
  ...Array<[string, RegExp]>(3).fill(['manufacturer', ALNUM]),
  ['productType', /^[PMC]$/],
  ['chemistry', /^[A-GZ]$/],
  ['specification', ALNUM],
  ['specification', ALNUM],
];
const DATE_AND_SERIAL: Array<[string, RegExp]> = [
  ['production.year', YEAR_OR_DAY],
  ['production.month', /^[1-9A-C]$/],
  ['production.day', YEAR_OR_DAY],
  ...Array<[string, RegExp]>(7).fill(['serial', /^[0-9]$/]),
];
const STANDARD_SPEC = [
  ...COMMON_PREFIX,
  ...Array<[string, RegExp]>(7).fill(['traceability', ALNUM]),
  ...DATE_AND_SERIAL,
];
const CASCADE_SPEC = [
  ...COMMON_PREFIX,
  ...DATE_AND_SERIAL,
  ['cascadeMarker', /^R$/],
  ['cascadeProductType', /^[PMC]$/],
] as Array<[string, RegExp]>;

const alnum = (length: number) =>
  fc
    .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), {
      minLength: length,
      maxLength: length,
    })
    .map((a) => a.join(''));
const productType = fc.constantFrom('pack', 'module', 'cell') as fc.Arbitrary<'pack' | 'module' | 'cell'>;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const productionDate = fc
  .tuple(fc.integer({ min: 2011, max: 2041 }), fc.integer({ min: 1, max: 12 }))
  .chain(([year, month]) =>
    fc.integer({ min: 1, max: daysIn(year, month) }).map((day) => ({ year, month, day })),
  );
const serial = fc.oneof(fc.integer({ min: 0, max: 9_999_999 }), fc.stringMatching(/^[0-9]{7}$/));

const standardParts: fc.Arbitrary<BatteryCodeParts> = fc.record({
  manufacturer: alnum(3),
  productType,
  chemistry: fc.constantFrom(...CHEMISTRY_CODES.map((c) => c.chemistry)),
  specification: alnum(2),
  traceability: alnum(7),
  production: productionDate,
  serial,
});
const cascadeParts = fc
  .tuple(standardParts, productType)
  .map(([{ traceability: _, ...parts }, cascadeProductType]) => ({ ...parts, cascadeProductType }));

const expectedSerial = (value: string | number) =>
  typeof value === 'number' ? String(value).padStart(7, '0') : value;

// Printable ASCII (both cases), whitespace and a few non-ASCII look-alikes a scanner might produce.
const anyCharacter = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\n', '\t', 'É', 'Ｏ', '一', '０'),
);

describe('battery code properties', () => {
  it('standard codes round-trip: format → check is valid and returns the same fields', () => {
    fc.assert(
      fc.property(standardParts, (parts) => {
        const code = formatBatteryCode(parts);
        const report = checkBatteryCode(code);
        expect(report.errors).toEqual([]);
        expect(report.form).toBe('standard');
        expect(code).toMatch(CATENA_X_PATTERN);
        expect(report.fields).toMatchObject({
          ...parts,
          serial: expectedSerial(parts.serial),
          cascadeProductType: null,
        });
      }),
    );
  });

  it('cascade-use codes round-trip and carry no traceability', () => {
    fc.assert(
      fc.property(cascadeParts, (parts) => {
        const code = formatCascadeBatteryCode(parts);
        const report = checkBatteryCode(code);
        expect(report).toMatchObject({ valid: true, form: 'cascade' });
        expect(code).toMatch(CATENA_X_PATTERN);
        expect(report.fields).toMatchObject({
          ...parts,
          serial: expectedSerial(parts.serial),
          traceability: null,
        });
      }),
    );
  });

  it.each([
    ['standard', standardParts.map(formatBatteryCode), STANDARD_SPEC],
    ['cascade', cascadeParts.map(formatCascadeBatteryCode), CASCADE_SPEC],
  ] as const)(
    'every corruption of a %s code into a forbidden character names exactly that field',
    (_, codes, spec) => {
      const corruption = fc.record({
        code: codes,
        position: fc.integer({ min: 1, max: spec.length }),
        char: anyCharacter,
      });
      fc.assert(
        fc.property(corruption, ({ code, position, char }) => {
          const [field, allowed] = spec[position - 1]!;
          fc.pre(!allowed.test(char));
          const report = checkBatteryCode(`${code.slice(0, position - 1)}${char}${code.slice(position)}`);
          expect(report.valid).toBe(false);
          expect(report.errors).toHaveLength(1);
          expect(report.errors[0]!.field).toBe(field);
          expect(report.errors[0]!.message).toContain(`${JSON.stringify(char)} at position ${position}`);
        }),
        { numRuns: 500 },
      );
    },
  );

  it('anything accepted also matches the Catena-X pattern; check never throws', () => {
    const nearCode = fc.oneof(
      fc.string({ minLength: 19, maxLength: 19, unit: fc.constantFrom(...'PMCRXBE019AZ') }),
      fc.string({ minLength: 24, maxLength: 24, unit: fc.constantFrom(...'PMCRXBE019AZ') }),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(nearCode, (code) => {
        const report = checkBatteryCode(code);
        expect(report.valid).toBe(report.errors.length === 0);
        if (report.valid) expect(code).toMatch(CATENA_X_PATTERN);
        else expect(report.errors.every((e) => e.field && e.message)).toBe(true);
      }),
    );
  });
});
