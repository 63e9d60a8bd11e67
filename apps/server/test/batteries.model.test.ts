import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributeElement,
  batteryContent,
  chinaRecoveryCheck,
  defaultGradingRules,
  elementMassOf,
  euRecoveryCheck,
  euRecyclingEfficiencyCheck,
  gradeBattery,
  gradingRoutes,
  intensityKeyOf,
  massViolations,
  recycledShares,
  resistanceSpreadPercent,
  stateOfHealth,
} from '../src/modules/batteries/batteries.model.ts';

describe('state of health', () => {
  it('is measured over rated: capacity first, then energy, then a read-out', () => {
    expect(
      stateOfHealth({
        measuredCapacityAh: 120,
        ratedCapacityAh: 150,
        measuredEnergyKwh: 1,
        ratedEnergyKwh: 2,
      }),
    ).toEqual({
      sohPercent: 80,
      basis: 'capacity',
    });
    expect(stateOfHealth({ measuredEnergyKwh: 45, ratedEnergyKwh: 60 })).toEqual({
      sohPercent: 75,
      basis: 'energy',
    });
    expect(stateOfHealth({ sohPercent: 91.234 })).toEqual({ sohPercent: 91.23, basis: 'reported' });
    expect(stateOfHealth({ measuredEnergyKwh: 45 })).toBeNull();
  });

  it('computes the resistance spread as (max − min) / mean', () => {
    expect(resistanceSpreadPercent([1, 1.1, 0.9])).toBe(20);
    expect(resistanceSpreadPercent([1])).toBeNull();
  });
});

describe('grading rules', () => {
  const facts = (soh: number, spread: number | null = 5, findings: string[] = []) => ({
    sohPercent: soh,
    resistanceSpreadPercent: spread,
    safetyFindings: findings,
  });
  it.each([
    [90, 5, [], 'vehicle-reuse', 'reuse_in_vehicle'],
    [90, null, [], 'stationary-storage', 'cascade_stationary_storage'],
    [90, 5, ['bms_fault'], 'stationary-storage', 'cascade_stationary_storage'],
    [70, 15, [], 'stationary-storage', 'cascade_stationary_storage'],
    [70, 25, [], 'low-power', 'cascade_low_power'],
    [55, null, [], 'low-power', 'cascade_low_power'],
    [45, 5, [], 'recycle', 'recycle'],
    [99, 1, ['leakage'], 'safety-finding', 'recycle'],
  ] as const)('SOH %d %%, spread %s, findings %j → %s', (soh, spread, findings, rule, route) => {
    const result = gradeBattery(defaultGradingRules, facts(soh, spread, [...findings]));
    expect(result.rule.id).toBe(rule);
    expect(result.rule.route).toBe(route);
    expect(result.evaluations.at(-1)!.matched).toBe(true);
  });

  it('gives every battery a grade, and a higher SOH never a worse route (default rules)', () => {
    const rank = (route: string) => gradingRoutes.indexOf(route as (typeof gradingRoutes)[number]);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 120, noNaN: true }),
        fc.double({ min: 0, max: 120, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
        fc.subarray(['swelling', 'bms_fault', 'corrosion']),
        (a, b, spread, findings) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const worse = gradeBattery(defaultGradingRules, facts(low, spread, findings)).rule.route;
          const better = gradeBattery(defaultGradingRules, facts(high, spread, findings)).rule.route;
          return rank(better) <= rank(worse);
        },
      ),
    );
  });
});

describe('material content and lots', () => {
  it('resolves chemistry names to the intensity table', () => {
    expect(intensityKeyOf('NCM523')).toBe('NMC532');
    expect(intensityKeyOf('ncm')).toBe('NCM');
    expect(intensityKeyOf('LiFePO4')).toBe('LFP');
    expect(intensityKeyOf('NMC811')).toBe('NMC811');
    expect(intensityKeyOf('sodium_ion')).toBeNull();
    expect(intensityKeyOf(null)).toBeNull();
  });

  it('expects NMC622 for a generic NCM pack and bounds it by the largest ternary variant', () => {
    const c = batteryContent('X', 'NCM', 100, 500);
    expect(c.elements.nickel).toEqual({ expectedKg: 51.2, maxKg: 65.6 });
    expect(c.elements.cobalt).toEqual({ expectedKg: 17.1, maxKg: 31.9 });
    expect(batteryContent('Y', 'LFP', 50, 380).elements.nickel).toEqual({ expectedKg: 0, maxKg: 0 });
  });

  it('derives the element mass of a lot from its form, or takes it as stated', () => {
    expect(elementMassOf('lithium', 'carbonate', 100)).toEqual({
      elementMassKg: 18.785,
      basis: 'Li2CO3 × 0.18785',
    });
    expect(elementMassOf('nickel', 'powder', 10)).toHaveProperty('error');
    expect(elementMassOf('nickel', 'powder', 10, 4)).toEqual({ elementMassKg: 4, basis: 'stated' });
    expect(elementMassOf('nickel', 'metal', 10, 11)).toHaveProperty('error');
    expect(elementMassOf('black_mass', 'powder', 10)).toHaveProperty('error');
  });

  it('splits a lot over its sources so the parts add up, and flags exactly the overfull sources', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1_000, noNaN: true }),
        fc.array(
          fc.record({
            expectedKg: fc.double({ min: 0, max: 100, noNaN: true }),
            maxKg: fc.double({ min: 0, max: 200, noNaN: true }),
            alreadyKg: fc.double({ min: 0, max: 50, noNaN: true }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (kg, sources) => {
          const named = sources.map((s, i) => ({ ...s, code: `B${i}` }));
          const { attributions, violations } = attributeElement('nickel', kg, named);
          const sum = attributions.reduce((a, x) => a + x.attributedKg, 0);
          expect(Math.abs(sum - kg)).toBeLessThan(0.001 * sources.length + 1e-9);
          expect(attributions.every((a) => a.attributedKg >= 0)).toBe(true);
          expect(violations.length).toBe(attributions.filter((a) => a.totalKg > a.maxKg + 1e-6).length);
        },
      ),
    );
  });

  it('refuses output heavier than the batteries', () => {
    expect(massViolations(100, [{ code: 'A', massKg: 300, alreadyKg: 250 }])[0]).toContain('weigh 300 kg');
    expect(massViolations(40, [{ code: 'A', massKg: 300, alreadyKg: 250 }])).toEqual([]);
    expect(massViolations(400, [{ code: 'A', massKg: null, alreadyKg: 0 }])).toEqual([]);
  });
});

describe('recovery targets', () => {
  it('checks China 2024 (Li 90 %, Ni/Co/Mn 98 %) and leaves Cu unchecked as UNVERIFIED', () => {
    expect(chinaRecoveryCheck('lithium', 89.9)).toMatchObject({ targetPercent: 90, met: false });
    expect(chinaRecoveryCheck('manganese', 98)).toMatchObject({ targetPercent: 98, met: true });
    expect(chinaRecoveryCheck('copper', 99)).toMatchObject({ targetPercent: null, met: null });
    expect(chinaRecoveryCheck('copper', 99).note).toContain('UNVERIFIED');
  });

  it('takes the EU Annex XII target in force on the date', () => {
    expect(euRecoveryCheck('lithium', '2027-12-30', 60)).toMatchObject({
      inForce: false,
      met: null,
      next: { targetPercent: 50 },
    });
    expect(euRecoveryCheck('lithium', '2027-12-31', 60)).toMatchObject({ targetPercent: 50, met: true });
    expect(euRecoveryCheck('lithium', '2031-12-31', 60)).toMatchObject({ targetPercent: 80, met: false });
    expect(euRecoveryCheck('cobalt', '2030-01-01', 92)).toMatchObject({
      targetPercent: 90,
      met: true,
      next: { from: '2031-12-31', targetPercent: 95 },
    });
    expect(euRecoveryCheck('manganese', '2030-01-01', 92)).toMatchObject({
      targetPercent: null,
      inForce: false,
    });
    expect(euRecyclingEfficiencyCheck('2026-01-01', 66)).toMatchObject({ targetPercent: 65, met: true });
  });

  it('computes recycled shares against the expected content', () => {
    const content = batteryContent('N', 'NMC811', 75, 480);
    const shares = recycledShares(content, { nickel: 4.56, cobalt: 10 });
    expect(shares.find((s) => s.material === 'nickel')).toMatchObject({
      postConsumerSharePercent: 10,
      contentKg: 45.6,
    });
    expect(shares.find((s) => s.material === 'cobalt')!.postConsumerSharePercent).toBe(100);
    expect(shares.find((s) => s.material === 'lead')).toMatchObject({
      contentKg: null,
      postConsumerSharePercent: 0,
    });
  });
});
