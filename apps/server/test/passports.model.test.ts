import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longlist } from '../src/modules/passports/passports.longlist.ts';
import {
  attributeAccessPaths,
  buildBatteryPass,
  buildCatenax,
  filterByAccess,
  type PassportInput,
} from '../src/modules/passports/passports.model.ts';
import {
  batteryPassSchemaInfo,
  catenaxSchemaInfo,
  submodelNames,
  validateCatenax,
  validateSubmodel,
} from '../src/modules/passports/passports.schema-registry.ts';

const input = (overrides: Partial<PassportInput> = {}): PassportInput => ({
  code: 'CATPE01T000001D6F0000042',
  productType: 'pack',
  passportId: '9b2f6a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  issuedAt: '2030-06-01T00:00:00.000Z',
  publicUrl: 'https://carloop.example/passports/CATPE01T000001D6F0000042',
  batteryStatus: 'Original',
  chemistry: 'NCM',
  chemistryKey: 'NCM',
  massKg: 420,
  ratedEnergyKwh: 60,
  manufacturingDate: '2023-06-15T00:00:00.000Z',
  codeProductionDate: '2023-06-15T00:00:00.000Z',
  putIntoServiceAt: '2023-06-20T03:00:00.000Z',
  manufacturer: { id: 'party:cell-maker-01', name: 'Cell Maker' },
  application: null,
  materialMassesKg: {
    lithium: 6.18,
    nickel: 30.72,
    cobalt: 10.26,
    manganese: 9.6,
    copper: 23.64,
    graphite: 51.18,
    iron: 0,
  },
  recycledShares: [
    { material: 'cobalt', preConsumerSharePercent: 0, postConsumerSharePercent: 12 },
    { material: 'lithium', preConsumerSharePercent: 0, postConsumerSharePercent: 0 },
    { material: 'nickel', preConsumerSharePercent: 0, postConsumerSharePercent: 4 },
    { material: 'lead', preConsumerSharePercent: 0, postConsumerSharePercent: 0 },
  ],
  latestSoh: { sohPercent: 81.5, at: '2030-05-10T02:00:00.000Z' },
  latestRemainingEnergyKwh: null,
  latestResistanceMilliohm: null,
  negativeEvents: [{ text: 'vehicle accident (minor)', at: '2025-02-11T11:30:00.000Z' }],
  predecessors: [],
  lastModified: '2030-06-01T00:00:00.000Z',
  declaration: {},
  ...overrides,
});

describe('Battery Pass data model and longlist (read from shared/data)', () => {
  it('picks the newest schema version of each submodel', () => {
    expect(batteryPassSchemaInfo('PerformanceAndDurability')).toMatchObject({
      version: '1.2.1',
      file: 'batterypass/BatteryPass/io.BatteryPass.Performance/1.2.1/gen/PerformanceAndDurability.schema',
    });
    for (const name of submodelNames) expect(batteryPassSchemaInfo(name).version).toMatch(/^1\.2\./);
    expect(catenaxSchemaInfo().urn).toContain('io.catenax.battery.battery_pass:6.1.0');
  });

  it('reads 93 longlist attributes: 60 public, 27 + 5 legitimate interest, 1 authorities only', () => {
    const rows = [...longlist().values()];
    expect(rows).toHaveLength(93);
    const count = (level: string) => rows.filter((r) => r.level === level).length;
    expect([count('public'), count('legitimate-interest'), count('authority')]).toEqual([60, 32, 1]);
    expect(longlist().get(18)!.attribute).toBe('Results of test reports proving compliance');
  });

  it('maps every property of the newest schemas to longlist rows that exist', () => {
    const rows = longlist();
    for (const name of submodelNames) {
      const schema = batteryPassSchemaInfo(name).schema as {
        properties: Record<string, { $ref?: string }>;
        components: {
          schemas: Record<string, { properties?: Record<string, unknown>; allOf?: Array<{ $ref: string }> }>;
        };
      };
      const paths = Object.keys(attributeAccessPaths[name]!);
      for (const rowList of Object.values(attributeAccessPaths[name]!))
        for (const n of rowList) expect(rows.has(n)).toBe(true);
      for (const [property, spec] of Object.entries(schema.properties)) {
        const covered = paths.some(
          (p) => p === property || p.startsWith(`${property}.`) || p.startsWith(`${property}[]`),
        );
        expect(covered, `${name}.${property}`).toBe(true);
        if (name === 'PerformanceAndDurability') {
          const target = schema.components.schemas[spec.$ref!.split('/').pop()!]!;
          const entity = target.allOf
            ? schema.components.schemas[target.allOf[0]!.$ref.split('/').pop()!]!
            : target;
          for (const child of Object.keys(entity.properties ?? {}))
            expect(paths, `${property}.${child}`).toContain(`${property}.${child}`);
        }
      }
    }
  });
});

describe('passport documents', () => {
  it('validate against the schemas with nothing declared, and list every placeholder as a data gap', () => {
    const { documents, gaps } = buildBatteryPass(input());
    for (const name of submodelNames) {
      const report = validateSubmodel(name, documents[name]);
      expect(report.errors, name).toEqual([]);
    }
    expect(gaps).toEqual(
      expect.arrayContaining([expect.stringMatching(/^CarbonFootprint: no carbon-footprint declaration/)]),
    );
    expect(gaps.some((g) => g.startsWith('GeneralProductInformation.manufacturingPlace'))).toBe(true);
    const cx = buildCatenax(input());
    expect(validateCatenax(cx.document).errors).toEqual([]);
    expect((cx.document as { metadata: { predecessor: string } }).metadata.predecessor).toBe(
      'urn:uuid:00000000-0000-0000-0000-000000000000',
    );
  });

  it('carry a repurposed product’s link to its original passport', () => {
    const original = '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const cx = buildCatenax(
      input({ batteryStatus: 'Repurposed', application: 'energy_storage', predecessors: [original] }),
    );
    expect(cx.document).toMatchObject({
      metadata: { predecessor: `urn:uuid:${original}` },
      sustainability: { status: 'repurposed' },
      commercial: { purpose: ['energy_storage'] },
    });
    const bp = buildBatteryPass(input({ batteryStatus: 'Repurposed', application: 'energy_storage' }));
    expect(bp.documents.GeneralProductInformation).toMatchObject({
      batteryStatus: 'Repurposed',
      batteryCategory: 'stationary',
    });
  });

  it('withhold more the lower the access level', () => {
    const { documents } = buildBatteryPass(input());
    const list = longlist();
    const levels = ['authority', 'legitimate-interest', 'public'] as const;
    const withheld = levels.map((l) => filterByAccess(documents, l, list).withheld);
    expect(withheld[0]).toEqual([]);
    expect(withheld[1]).toEqual(['Labeling.resultOfTestReport']);
    expect(withheld[2]).toEqual(
      expect.arrayContaining([
        'GeneralProductInformation.batteryStatus',
        'GeneralProductInformation.puttingIntoService',
        'MaterialComposition.batteryMaterials[].batteryMaterialMass',
        'Circularity.safetyMeasures.safetyInstructions',
        'PerformanceAndDurability.batteryCondition.stateOfCertifiedEnergy',
        'PerformanceAndDurability.batteryTechicalProperties.expectedLifetime',
      ]),
    );
    const pub = filterByAccess(documents, 'public', list).documents;
    expect((pub.MaterialComposition!.batteryMaterials as Array<Record<string, unknown>>)[0]).toEqual({
      batteryMaterialIdentifier: '7439-93-2',
      batteryMaterialName: 'Lithium',
      isCriticalRawMaterial: true,
    });
    expect(pub.Circularity!.safetyMeasures).toEqual({ extinguishingAgent: [] });
    fc.assert(
      fc.property(fc.constantFrom(...levels), fc.constantFrom(...levels), (a, b) => {
        const rank = (l: string) => levels.length - 1 - levels.indexOf(l as (typeof levels)[number]);
        const [lo, hi] = rank(a) <= rank(b) ? [a, b] : [b, a];
        const low = new Set(filterByAccess(documents, lo, list).withheld);
        return filterByAccess(documents, hi, list).withheld.every((w) => low.has(w));
      }),
    );
  });
});
