import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkVin, MODEL_YEAR_CODES, makeVin, transliterateVinCharacter, vinCheckDigit } from './index.ts';

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const vinChar = fc.constantFrom(...VIN_ALPHABET);
const vinChars = (length: number) =>
  fc.array(vinChar, { minLength: length, maxLength: length }).map((a) => a.join(''));

/** Positions 1–8 and 10–17 of a VIN that `makeVin` must accept: position 10 is a year code. */
const vinParts = fc.record({
  positions1to8: vinChars(8),
  positions10to17: fc
    .tuple(fc.constantFrom(...MODEL_YEAR_CODES), vinChars(7))
    .map(([year, rest]) => `${year}${rest}`),
});
const generatedVin = vinParts.map(({ positions1to8, positions10to17 }) =>
  makeVin(positions1to8, positions10to17),
);

describe('VIN properties', () => {
  it('every VIN built by makeVin validates, with a matching check digit and a model year', () => {
    fc.assert(
      fc.property(generatedVin, (vin) => {
        const report = checkVin(vin);
        expect(report.valid).toBe(true);
        expect(report.errors).toEqual([]);
        expect(report.checkDigit.expected).toBe(vin[8]);
        expect(report.modelYearCandidates.length).toBeGreaterThan(0);
      }),
    );
  });

  it('changing one character outside position 9 to one of a different value breaks the check digit', () => {
    // Every weight except position 9's is 1–10, a unit mod 11, so any change of value shows.
    const mutation = fc.record({
      vin: generatedVin,
      position: fc.integer({ min: 1, max: 17 }).filter((p) => p !== 9),
      replacement: vinChar,
    });
    fc.assert(
      fc.property(mutation, ({ vin, position, replacement }) => {
        const original = vin[position - 1]!;
        fc.pre(transliterateVinCharacter(original) !== transliterateVinCharacter(replacement));
        const mutated = `${vin.slice(0, position - 1)}${replacement}${vin.slice(position)}`;
        const report = checkVin(mutated);
        expect(report.checkDigit.expected).not.toBe(report.checkDigit.actual);
        const findings = report.checkDigit.enforced ? report.errors : report.warnings;
        expect(findings.map((f) => f.field)).toContain('checkDigit');
        if (report.checkDigit.enforced) expect(report.valid).toBe(false);
      }),
    );
  });

  it('replacing a character by one with the same value goes undetected (a documented limit, §1.2)', () => {
    fc.assert(
      fc.property(generatedVin, fc.integer({ min: 1, max: 17 }), vinChar, (vin, position, replacement) => {
        fc.pre(transliterateVinCharacter(vin[position - 1]!) === transliterateVinCharacter(replacement));
        const mutated = `${vin.slice(0, position - 1)}${replacement}${vin.slice(position)}`;
        expect(vinCheckDigit(mutated)).toBe(vinCheckDigit(vin));
      }),
    );
  });

  it('a VIN holding I, O or Q is invalid and the error names that position', () => {
    fc.assert(
      fc.property(
        generatedVin,
        fc.integer({ min: 1, max: 17 }),
        fc.constantFrom('I', 'O', 'Q'),
        (vin, position, bad) => {
          const mutated = `${vin.slice(0, position - 1)}${bad}${vin.slice(position)}`;
          const report = checkVin(mutated);
          expect(report.valid).toBe(false);
          expect(report.errors.map((e) => e.field)).toContain(`vin[${position}]`);
          expect(report.checkDigit.expected).toBeNull();
        },
      ),
    );
  });

  it('lower case anywhere is invalid, never silently upper-cased', () => {
    fc.assert(
      fc.property(generatedVin, fc.integer({ min: 1, max: 17 }), (vin, position) => {
        const lowered = vin[position - 1]!.toLowerCase();
        fc.pre(lowered !== vin[position - 1]);
        const mutated = `${vin.slice(0, position - 1)}${lowered}${vin.slice(position)}`;
        expect(checkVin(mutated).errors).toContainEqual({
          field: `vin[${position}]`,
          message: expect.stringContaining('lower-case'),
        });
      }),
    );
  });

  it('any string whose length is not 17 is invalid with a `vin` length error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        fc.pre(input.length !== 17);
        const report = checkVin(input);
        expect(report.valid).toBe(false);
        expect(report.errors[0]!.field).toBe('vin');
      }),
    );
  });

  it('checkVin never throws and always returns the contract shape', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (input) => {
        const report = checkVin(input);
        expect(Object.keys(report)).toEqual([
          'input',
          'valid',
          'errors',
          'warnings',
          'checkDigit',
          'wmi',
          'region',
          'country',
          'modelYearCandidates',
        ]);
        expect(report.valid).toBe(report.errors.length === 0);
      }),
    );
  });

  it('model-year candidates lie in 1980–2039 and are 30 years apart', () => {
    fc.assert(
      fc.property(generatedVin, (vin) => {
        const years = checkVin(vin).modelYearCandidates;
        for (const year of years) expect(year >= 1980 && year <= 2039).toBe(true);
        if (years.length === 2) expect(years[1]! - years[0]!).toBe(30);
      }),
    );
  });
});
