import { describe, expect, it } from 'vitest';
import { checkVin, InvalidIdentifierError, isValidVin, makeVin, vinCheckDigit } from './index.ts';

// identifiers.md §1.2, worked examples (weighted sum and remainder recomputed there).
const WORKED_EXAMPLES = [
  { vin: '1G4AH59H45G118341', checkDigit: '4', years: [2005] },
  { vin: '1M8GDM9AXKP042788', checkDigit: 'X', years: [1989] },
  { vin: '1FACP45EXLF192944', checkDigit: 'X', years: [1990] },
  { vin: '11111111111111111', checkDigit: '1', years: [2001] },
  { vin: '5YJSA1H12FFP71790', checkDigit: '2', years: [2015] },
];

const fieldsOf = (vin: string) => checkVin(vin).errors.map((e) => e.field);

describe('checkVin — worked examples (identifiers.md §1.2)', () => {
  it.each(WORKED_EXAMPLES)('$vin is valid with check digit $checkDigit', ({ vin, checkDigit, years }) => {
    const report = checkVin(vin);
    expect(report).toEqual({
      input: vin,
      valid: true,
      errors: [],
      warnings: [],
      checkDigit: { expected: checkDigit, actual: checkDigit, enforced: true },
      wmi: vin.slice(0, 3),
      region: 'North America',
      country: 'United States',
      modelYearCandidates: years,
    });
    expect(vinCheckDigit(vin)).toBe(checkDigit);
    expect(isValidVin(vin)).toBe(true);
  });
});

describe('checkVin — characters and length', () => {
  it('rejects lower case at the exact position instead of upper-casing it', () => {
    const report = checkVin('1g4AH59H45G118341');
    expect(report.valid).toBe(false);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.field).toBe('vin[2]');
    expect(report.errors[0]!.message).toMatch(/position 2.*lower-case "g"/);
    expect(report.checkDigit.expected).toBeNull();
    expect(report.checkDigit.actual).toBe('4');
  });

  it('names each I, O and Q with its position', () => {
    const report = checkVin('1G4AH59H45GI1O3Q1');
    expect(report.errors.map((e) => e.field)).toEqual(['vin[12]', 'vin[14]', 'vin[16]']);
    expect(report.errors[0]!.message).toContain('"I"');
  });

  it('names other characters such as a hyphen', () => {
    expect(checkVin('1G4AH59H4-G118341').errors[0]).toMatchObject({ field: 'vin[10]' });
  });

  it.each(['', '1G4', '1G4AH59H45G11834', '1G4AH59H45G1183412'])('rejects length %#', (vin) => {
    const report = checkVin(vin);
    expect(report.valid).toBe(false);
    expect(report.errors[0]).toMatchObject({
      field: 'vin',
      message: expect.stringContaining(`got ${vin.length}`),
    });
    expect(report.checkDigit.expected).toBeNull();
  });

  it('reports a null WMI, region and country when too short to tell', () => {
    expect(checkVin('1G')).toMatchObject({ wmi: null, region: 'North America', country: 'United States' });
    expect(checkVin('')).toMatchObject({ wmi: null, region: null, country: null, modelYearCandidates: [] });
  });
});

describe('checkVin — where the check digit binds (identifiers.md §1.1)', () => {
  it('a North American VIN with a wrong check digit is invalid', () => {
    const report = checkVin('1G4AH59H55G118341');
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([{ field: 'checkDigit', message: expect.stringContaining('"4"') }]);
    expect(report.checkDigit).toEqual({ expected: '4', actual: '5', enforced: true });
  });

  it('a Chinese VIN (L…) with a wrong check digit is invalid', () => {
    const good = makeVin('LVSHCAMB', 'CE000001');
    const bad = `${good.slice(0, 8)}${good[8] === '7' ? '8' : '7'}${good.slice(9)}`;
    expect(checkVin(good)).toMatchObject({ valid: true, region: 'Asia', country: 'China' });
    const report = checkVin(bad);
    expect(report.valid).toBe(false);
    expect(report.checkDigit.enforced).toBe(true);
    expect(fieldsOf(bad)).toEqual(['checkDigit']);
  });

  it('a European VIN with a wrong check digit stays valid but the mismatch is reported', () => {
    const report = checkVin('WVWZZZ1JZXW000001');
    expect(report.checkDigit).toEqual({
      expected: vinCheckDigit('WVWZZZ1JZXW000001'),
      actual: 'Z',
      enforced: false,
    });
    expect(report.valid).toBe(true);
    expect(report.warnings).toEqual([{ field: 'checkDigit', message: expect.any(String) }]);
    expect(report).toMatchObject({ wmi: 'WVW', region: 'Europe', country: 'Germany' });
  });
});

describe('checkVin — model year (identifiers.md §1.4)', () => {
  it('gives both cycles outside North America', () => {
    expect(checkVin(makeVin('LVSHCAMB', 'CE000001')).modelYearCandidates).toEqual([1982, 2012]);
  });

  it('narrows North American VINs by position 7 (73 FR 23367)', () => {
    expect(checkVin(makeVin('1G1ZT512', 'CF000001')).modelYearCandidates).toEqual([1982]);
    expect(checkVin(makeVin('1G1ZT5A2', 'CF000001')).modelYearCandidates).toEqual([2012]);
  });

  it.each(['0', 'U', 'Z'])('rejects %s in position 10 as a modelYear error for a US VIN', (code) => {
    const vin = `1G4AH59H4${code}G118341`;
    const report = checkVin(vin);
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => e.field)).toContain('modelYear');
    expect(report.modelYearCandidates).toEqual([]);
  });

  it('only warns about a non-year code in position 10 of a European VIN (EU needs no year code)', () => {
    const vin = makeVin('WDB12408', '0A123456');
    expect(checkVin(vin)).toMatchObject({ valid: true, modelYearCandidates: [] });
    expect(checkVin(vin).warnings.map((w) => w.field)).toEqual(['modelYear']);
  });
});

describe('WMI lookup', () => {
  it.each([
    ['JHMCM56557C404453', 'Asia', 'Japan'],
    ['KMHDN46D85U123456', 'Asia', 'South Korea'],
    ['SAJWA0ES8DPS56028', 'Europe', 'United Kingdom'],
    ['VF1RFB00X51234567', 'Europe', 'France'],
    ['ZFA31200000123456', 'Europe', 'Italy'],
    ['YV1MS382X62123456', 'Europe', 'Sweden'],
    ['2HGFG12878H123456', 'North America', 'Canada'],
    ['3VWFE21C04M123456', 'North America', 'Mexico'],
    ['6FPAAAJGSW1234567', 'Oceania', 'Australia'],
    ['9BWZZZ377VT004251', 'South America', 'Brazil'],
    ['AHTFZ29G209012345', 'Africa', 'South Africa'],
  ])('%s → %s, %s', (vin, region, country) => {
    expect(checkVin(vin)).toMatchObject({ region, country });
  });

  it('gives no country for an unallocated prefix', () => {
    expect(checkVin('7Z123456789012345').country).toBeNull();
  });
});

describe('makeVin', () => {
  it('inserts the check digit', () => {
    expect(makeVin('1G4AH59H', '5G118341')).toBe('1G4AH59H45G118341');
  });

  it('throws field-level reasons for bad parts', () => {
    expect(() => makeVin('1G4AH59', '5G118341')).toThrow(InvalidIdentifierError);
    try {
      makeVin('1g4AH59H', 'UG118341');
    } catch (error) {
      expect((error as InvalidIdentifierError).errors.map((e) => e.field)).toEqual(['vin[2]', 'modelYear']);
    }
    expect.assertions(2);
  });
});
