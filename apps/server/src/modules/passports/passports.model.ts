/**
 * The EU battery passport built from what the platform knows: the seven Battery Pass v1.2
 * submodels, the Catena-X battery_pass 6.1.0 form, and the per-attribute access filter. Pure: the
 * service gathers a `PassportInput`; nothing here reads a database or a file (the data tables are
 * versioned JSON under ./data).
 */
import attributeAccess from './data/attribute-access.json' with { type: 'json' };
import materials from './data/materials.json' with { type: 'json' };
import placeholders from './data/placeholders.json' with { type: 'json' };
import { type AccessLevel, type LonglistAttribute, levelRank } from './passports.longlist.ts';
import type { SubmodelName } from './passports.schema-registry.ts';
import type { PassportDeclaration } from './passports.schemas.ts';

export type BatteryPassStatus = 'Original' | 'Repurposed' | 'Reused' | 'Remanufactured' | 'Waste';

export interface PassportInput {
  code: string;
  productType: 'pack' | 'module' | 'cell';
  /** UUIDv4 of this passport. */
  passportId: string;
  issuedAt: string;
  publicUrl: string;
  batteryStatus: BatteryPassStatus;
  chemistry: string | null;
  chemistryKey: string | null;
  massKg: number | null;
  ratedEnergyKwh: number | null;
  manufacturingDate: string | null;
  /** Production date read from the GB/T 34014 code (year/day tables UNVERIFIED), a fallback. */
  codeProductionDate: string | null;
  putIntoServiceAt: string | null;
  manufacturer: { id: string; name: string } | null;
  /** The second-life use of a cascade product, if it is one. */
  application: string | null;
  /** kg of each element by chemistry × energy (DERIVED), when the chemistry is in the table. */
  materialMassesKg: Record<string, number> | null;
  recycledShares: Array<{
    material: string;
    preConsumerSharePercent: number;
    postConsumerSharePercent: number;
  }>;
  latestSoh: { sohPercent: number; at: string } | null;
  latestRemainingEnergyKwh: { value: number; at: string } | null;
  latestResistanceMilliohm: { value: number; at: string } | null;
  negativeEvents: Array<{ text: string; at: string }>;
  /** Passport UUIDs of the original batteries (a repurposed product). */
  predecessors: string[];
  lastModified: string;
  declaration: PassportDeclaration;
}

const ph = placeholders as {
  text: string;
  uri: string;
  number: number;
  bpnl: string;
  bpna: string;
  noPredecessor: string;
  passportValidityYears: number;
};
const materialTable = materials as {
  materials: Record<string, { name: string; cas: string; location: string; critical: boolean }>;
  chemistryNames: Record<string, string>;
};

export const placeholderValues = ph;

/** `urn:carloop:<32 hex>`: the Battery Pass pattern ^urn:[a-z0-9]+:[a-z0-9]+$ admits no hyphen. */
export const batteryPassIdentifier = (uuid: string) =>
  `urn:carloop:${uuid.replaceAll('-', '').toLowerCase()}`;
/** `urn:uuid:<uuid>`: Catena-X metadata.passportIdentifier (UuidV4Trait). */
export const catenaxIdentifier = (uuid: string) => `urn:uuid:${uuid.toLowerCase()}`;

/** Tracks every attribute filled with a placeholder, so the report can say what is not a fact. */
class Gaps {
  readonly list: string[] = [];
  note(path: string, why = 'not declared') {
    this.list.push(`${path}: ${why}`);
  }
  fallback<T>(path: string, placeholder: T, why?: string): T {
    this.note(path, why);
    return placeholder;
  }
  value<T>(path: string, value: T | undefined | null, placeholder: T, why?: string): T {
    if (value === undefined || value === null) {
      this.note(path, why);
      return placeholder;
    }
    return value;
  }
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const dateOnly = (iso: string) => iso.slice(0, 10);

function mimeOf(url: string): string {
  if (/\.pdf($|\?)/i.test(url)) return 'application/pdf';
  if (/\.html?($|\?)/i.test(url)) return 'text/html';
  return 'text/html';
}

function chemistryName(input: PassportInput): { shortName: string; clearName: string } {
  const key = input.chemistryKey ?? input.chemistry ?? null;
  if (key === null) return { shortName: ph.text, clearName: ph.text };
  return { shortName: key, clearName: materialTable.chemistryNames[key] ?? key };
}

function batteryCategoryOf(input: PassportInput): 'lmt' | 'ev' | 'industrial' | 'stationary' {
  if (input.declaration.batteryCategory) return input.declaration.batteryCategory;
  if (input.batteryStatus === 'Repurposed') {
    if (input.application === 'low_speed_vehicle') return 'lmt';
    if (input.application === 'other') return 'industrial';
    return 'stationary';
  }
  return 'ev';
}

function contactOf(
  path: string,
  declared: PassportDeclaration['manufacturer'],
  party: { id: string; name: string } | null,
  gaps: Gaps,
) {
  const postal = {
    addressCountry: declared?.addressCountry,
    postalCode: declared?.postalCode,
    streetAddress: declared?.streetAddress,
  };
  if (!declared) gaps.note(`${path}.postalAddress`);
  // Battery Pass 1.2 types emailAddress with the pattern ^[w.-]+@…, which admits only the letter w:
  // a real address would fail validation, so it is left out (it is optional).
  const email = declared?.emailAddress;
  if (email && !/^[w.-]+@[w.-]+.[A-Za-z]{2,}$/.test(email))
    gaps.note(
      `${path}.emailAddress`,
      'omitted: the 1.2 schema pattern ^[w.-]+@ admits only w . - (upstream slip)',
    );
  return {
    contactName: gaps.value(`${path}.contactName`, declared?.name ?? party?.name, ph.text),
    postalAddress: {
      addressCountry: postal.addressCountry ?? ph.text,
      postalCode: postal.postalCode ?? ph.text,
      streetAddress: postal.streetAddress ?? ph.text,
    },
    identifier: gaps.value(`${path}.identifier`, declared?.identifier ?? party?.id, ph.text),
    ...(email && /^[w.-]+@[w.-]+.[A-Za-z]{2,}$/.test(email) ? { emailAddress: email } : {}),
    ...(declared?.webAddress ? { webAddress: declared.webAddress } : {}),
  };
}

/** xsd:gMonth (--MM) is what Battery Pass 1.2 gives warrentyPeriod: only a period of 1–12 months fits. */
function warrantyMonthOf(input: PassportInput, gaps: Gaps): string {
  const w = input.declaration.warranty;
  if (w?.unit === 'month' && w.value <= 12) return `--${String(w.value).padStart(2, '0')}`;
  if (w)
    gaps.note(
      'GeneralProductInformation.warrentyPeriod',
      `the schema's --MM form cannot hold ${w.value} ${w.unit}(s); written --12, see the Catena-X warranty`,
    );
  else gaps.note('GeneralProductInformation.warrentyPeriod');
  return '--12';
}

function manufacturingDateOf(input: PassportInput, gaps: Gaps): string {
  if (input.manufacturingDate) return input.manufacturingDate;
  if (input.codeProductionDate) {
    gaps.note(
      'GeneralProductInformation.manufacturingDate',
      'no production event; read from the GB/T 34014 code date field (year/day tables UNVERIFIED)',
    );
    return input.codeProductionDate;
  }
  gaps.note('GeneralProductInformation.manufacturingDate');
  return input.issuedAt;
}

// ---------------------------------------------------------------- Battery Pass v1.2 submodels

export function buildBatteryPass(input: PassportInput): {
  documents: Record<SubmodelName, Record<string, unknown>>;
  gaps: string[];
} {
  const gaps = new Gaps();
  const d = input.declaration;
  const manufactured = manufacturingDateOf(input, gaps);
  const GeneralProductInformation = {
    productIdentifier: input.code,
    batteryPassportIdentifier: batteryPassIdentifier(input.passportId),
    batteryCategory: batteryCategoryOf(input),
    manufacturerInformation: contactOf(
      'GeneralProductInformation.manufacturerInformation',
      d.manufacturer,
      input.manufacturer,
      gaps,
    ),
    manufacturingDate: manufactured,
    batteryStatus: input.batteryStatus,
    batteryMass: gaps.value('GeneralProductInformation.batteryMass', input.massKg, ph.number),
    manufacturingPlace:
      d.manufacturingPlace ??
      gaps.fallback('GeneralProductInformation.manufacturingPlace', {
        addressCountry: ph.text,
        postalCode: ph.text,
        streetAddress: ph.text,
      }),
    operatorInformation: contactOf(
      'GeneralProductInformation.operatorInformation',
      d.operator ?? d.manufacturer,
      input.manufacturer,
      gaps,
    ),
    puttingIntoService: gaps.value(
      'GeneralProductInformation.puttingIntoService',
      input.putIntoServiceAt,
      manufactured,
      'not yet put into service; the manufacturing date is written',
    ),
    warrentyPeriod: warrantyMonthOf(input, gaps),
  };

  const cf = d.carbonFootprint;
  if (!cf)
    gaps.note(
      'CarbonFootprint',
      'no carbon-footprint declaration (Art. 7): every attribute is a placeholder',
    );
  const stages = cf?.perLifecycleStage ?? {};
  const CarbonFootprint = {
    batteryCarbonFootprint: cf?.kgCo2ePerKwh ?? ph.number,
    carbonFootprintPerLifecycleStage: Object.entries(stages)
      .filter(([, v]) => v !== undefined)
      .map(([lifecycleStage, carbonFootprint]) => ({ lifecycleStage, carbonFootprint })),
    carbonFootprintPerformanceClass: cf?.performanceClass ?? ph.text,
    carbonFootprintStudy: cf?.studyUrl ?? ph.uri,
    ...(cf?.absoluteKgCo2e !== undefined ? { absoluteCarbonFootprint: cf.absoluteKgCo2e } : {}),
  };

  const dd = d.dueDiligence;
  const SupplyChainDueDiligence = {
    supplyChainDueDiligenceReport: gaps.value(
      'SupplyChainDueDiligence.supplyChainDueDiligenceReport',
      dd?.reportUrl,
      ph.uri,
    ),
    ...(dd?.thirdPartyAssurancesUrl ? { thirdPartyAussurances: dd.thirdPartyAssurancesUrl } : {}),
    ...(dd?.supplyChainIndices !== undefined ? { supplyChainIndicies: dd.supplyChainIndices } : {}),
  };

  if (!input.materialMassesKg)
    gaps.note(
      'MaterialComposition.batteryMaterials',
      'chemistry or rated energy unknown: no material masses',
    );
  const MaterialComposition = {
    batteryChemistry: chemistryName(input),
    batteryMaterials: Object.entries(input.materialMassesKg ?? {})
      .filter(([element, kg]) => kg > 0 && materialTable.materials[element])
      .map(([element, kg]) => {
        const m = materialTable.materials[element]!;
        return {
          batteryMaterialLocation: { componentName: m.location },
          batteryMaterialIdentifier: m.cas,
          batteryMaterialName: m.name,
          batteryMaterialMass: round(kg),
          isCriticalRawMaterial: m.critical,
        };
      }),
    hazardousSubstances: (
      d.hazardousSubstances ?? gaps.fallback('MaterialComposition.hazardousSubstances', [])
    ).map((h) => ({
      hazardousSubstanceClass: h.class,
      hazardousSubstanceName: h.name,
      hazardousSubstanceConcentration: h.concentrationPercent,
      hazardousSubstanceImpact: h.impact,
      hazardousSubstanceLocation: { componentName: h.componentName },
      hazardousSubstanceIdentifier: h.casNumber,
    })),
  };

  const docs = d.documents ?? {};
  const dismantling = [
    ['DismantlingManual', docs.dismantlingManualUrl],
    ['RemovalManual', docs.removalManualUrl],
    ['BillOfMaterial', docs.billOfMaterialUrl],
  ].filter((x): x is [string, string] => typeof x[1] === 'string');
  if (dismantling.length === 0) gaps.note('Circularity.dismantlingAndRemovalInformation');
  if (!d.sparePartSources) gaps.note('Circularity.sparePartSources');
  const Circularity = {
    dismantlingAndRemovalInformation: dismantling.map(([documentType, documentURL]) => ({
      documentType,
      mimeType: mimeOf(documentURL),
      documentURL,
    })),
    sparePartSources: (d.sparePartSources ?? []).map((s) => ({
      nameOfSupplier: s.nameOfSupplier,
      addressOfSupplier: s.address,
      emailAddressOfSupplier: s.emailAddress,
      supplierWebAddress: s.webAddress,
      components: s.components,
    })),
    recycledContent: input.recycledShares.map((s) => ({
      preConsumerShare: s.preConsumerSharePercent,
      recycledMaterial: s.material[0]!.toUpperCase() + s.material.slice(1),
      postConsumerShare: s.postConsumerSharePercent,
    })),
    safetyMeasures: {
      safetyInstructions: gaps.value(
        'Circularity.safetyMeasures.safetyInstructions',
        docs.safetyInstructionsUrl,
        ph.uri,
      ),
      extinguishingAgent:
        d.extinguishingAgents ?? gaps.fallback('Circularity.safetyMeasures.extinguishingAgent', []),
    },
    endOfLifeInformation: {
      wastePrevention: gaps.value(
        'Circularity.endOfLifeInformation.wastePrevention',
        docs.wastePreventionUrl,
        ph.uri,
      ),
      separateCollection: gaps.value(
        'Circularity.endOfLifeInformation.separateCollection',
        docs.separateCollectionUrl,
        ph.uri,
      ),
      informationOnCollection: gaps.value(
        'Circularity.endOfLifeInformation.informationOnCollection',
        docs.informationOnCollectionUrl,
        ph.uri,
      ),
    },
    renewableContent: gaps.value('Circularity.renewableContent', d.renewableContentPercent, ph.number),
  };

  const PerformanceAndDurability = buildPerformance(input, manufactured, gaps);

  const Labeling = {
    declarationOfConformity: gaps.value(
      'Labeling.declarationOfConformity',
      docs.declarationOfConformityUrl,
      ph.uri,
    ),
    resultOfTestReport: gaps.value('Labeling.resultOfTestReport', docs.testReportUrl, ph.uri),
    labels: (d.labels ?? gaps.fallback('Labeling.labels', [])).map((l) => ({
      labelingSymbol: l.symbolUrl,
      labelingMeaning: l.meaning,
      labelingSubject: l.subject,
    })),
  };

  return {
    documents: {
      GeneralProductInformation,
      CarbonFootprint,
      SupplyChainDueDiligence,
      MaterialComposition,
      Circularity,
      PerformanceAndDurability,
      Labeling,
    },
    gaps: gaps.list,
  };
}

function buildPerformance(input: PassportInput, manufactured: string, gaps: Gaps) {
  const t = input.declaration.technical ?? {};
  const tp = 'PerformanceAndDurability.batteryTechicalProperties';
  const cp = 'PerformanceAndDurability.batteryCondition';
  const n = (path: string, v: number | undefined | null) => gaps.value(`${tp}.${path}`, v, ph.number);
  const resistance = t.initialInternalResistanceOhm ?? {};
  const ratedEnergy = n('ratedEnergy', input.ratedEnergyKwh);
  const soh = input.latestSoh;
  // At manufacture the state of certified energy is 100 % by definition and nothing has been used:
  // dynamic values without a reading are those initial values, dated the manufacturing date.
  const sohValue = soh?.sohPercent ?? 100;
  const sohTime = soh?.at ?? manufactured;
  const initial = (value: number) => ({ value, lastUpdate: manufactured });
  const remainingEnergy = input.latestRemainingEnergyKwh
    ? { value: input.latestRemainingEnergyKwh.value, lastUpdate: input.latestRemainingEnergyKwh.at }
    : input.ratedEnergyKwh !== null
      ? { value: round((input.ratedEnergyKwh * sohValue) / 100), lastUpdate: sohTime }
      : gaps.fallback(`${cp}.remainingEnergy`, initial(ph.number));
  const remainingCapacity =
    t.ratedCapacityAh !== undefined
      ? { value: round((t.ratedCapacityAh * sohValue) / 100), lastUpdate: sohTime }
      : gaps.fallback(`${cp}.remainingCapacity`, initial(ph.number), 'rated capacity (Ah) not declared');
  const initialPackOhm = resistance.pack;
  const measured = input.latestResistanceMilliohm;
  const increase =
    initialPackOhm !== undefined && measured
      ? [
          {
            internalResistanceIncreaseValue: round(
              ((measured.value / 1000 - initialPackOhm) / initialPackOhm) * 100,
              2,
            ),
            lastUpdate: measured.at,
            batteryComponent: 'pack',
          },
        ]
      : [];
  if (increase.length === 0)
    gaps.note(
      `${cp}.internalResistanceIncrease`,
      'needs the declared initial pack resistance and a measurement',
    );
  for (const p of [
    'stateOfCharge',
    'remainingPowerCapability',
    'evolutionOfSelfDischarge',
    'currentSelfDischargingRate',
  ])
    gaps.note(`${cp}.${p}`, 'not measured');
  gaps.note(`${cp}.numberOfFullCycles`, 'no cycle counts reported; 0 as of manufacture');
  return {
    batteryTechicalProperties: {
      originalPowerCapability: [
        ...(t.powerAt20SocW !== undefined ? [{ atSoC: 20, powerCapabilityAt: t.powerAt20SocW }] : []),
        ...(t.powerAt80SocW !== undefined ? [{ atSoC: 80, powerCapabilityAt: t.powerAt80SocW }] : []),
      ],
      ratedMaximumPower: n('ratedMaximumPower', t.ratedMaximumPowerW),
      powerCapabilityRatio:
        t.ratedMaximumPowerW !== undefined && input.ratedEnergyKwh
          ? round(t.ratedMaximumPowerW / 1000 / input.ratedEnergyKwh)
          : n('powerCapabilityRatio', undefined),
      ratedEnergy,
      expectedNumberOfCycles: n('expectedNumberOfCycles', t.expectedNumberOfCycles),
      initialSelfDischarge: n('initialSelfDischarge', t.initialSelfDischargePercent),
      roundtripEfficiency: n('roundtripEfficiency', t.roundTripEfficiencyPercent),
      ratedCapacity: n('ratedCapacity', t.ratedCapacityAh),
      initialInternalResistance: (['pack', 'module', 'cell'] as const)
        .filter((c) => resistance[c] !== undefined)
        .map((c) => ({ ohmicResistance: resistance[c]!, batteryComponent: c })),
      expectedLifetime: n('expectedLifetime', t.expectedLifetimeYears),
      ...(t.cRate !== undefined ? { cRate: t.cRate } : {}),
      nominalVoltage: n('nominalVoltage', t.nominalVoltageV),
      minimumVoltage: n('minimumVoltage', t.minimumVoltageV),
      maximumVoltage: n('maximumVoltage', t.maximumVoltageV),
      capacityThresholdForExhaustion: n(
        'capacityThresholdForExhaustion',
        t.capacityThresholdForExhaustionPercent,
      ),
      lifetimeReferenceTest: gaps.value(
        `${tp}.lifetimeReferenceTest`,
        input.declaration.documents?.cycleLifeTestUrl,
        ph.uri,
      ),
      cRateLifeCycleTest: n('cRateLifeCycleTest', t.cRateLifeCycleTest),
      temperatureRangeIdleState:
        t.temperatureRangeIdleState ??
        gaps.fallback(`${tp}.temperatureRangeIdleState`, { minimum: ph.number, maximum: ph.number }),
      roundTripEfficiencyat50PerCentCycleLife: n(
        'roundTripEfficiencyat50PerCentCycleLife',
        t.roundTripEfficiencyAt50PercentCycleLifePercent,
      ),
      roundTripEfficiencyFade: n('roundTripEfficiencyFade', t.roundTripEfficiencyFadePercent),
      powerFade: n('powerFade', t.powerFadePercent),
    },
    batteryCondition: {
      energyThroughput: { energyThroughputValue: 0, lastUpdate: manufactured },
      capacityThroughput: { capacityThroughputValue: 0, lastUpdate: manufactured },
      numberOfFullCycles: { numberOfFullCyclesValue: 0, lastUpdate: manufactured },
      stateOfCertifiedEnergy: { stateOfCertifiedEnergyValue: sohValue, lastUpdate: sohTime },
      capacityFade: { capacityFadeValue: round(100 - sohValue, 2), lastUpdate: sohTime },
      remainingEnergy: {
        remainingEnergyValue: remainingEnergy.value,
        lastUpdate: remainingEnergy.lastUpdate,
      },
      remainingCapacity: {
        remainingCapacityValue: remainingCapacity.value,
        lastUpdate: remainingCapacity.lastUpdate,
      },
      negativeEvents: input.negativeEvents.map((e) => ({ negativeEvent: e.text, lastUpdate: e.at })),
      temperatureInformation: {
        timeExtremeHighTemp: 0,
        timeExtremeLowTemp: 0,
        timeExtremeHighTempCharging: 0,
        timeExtremeLowTempCharging: 0,
        lastUpdate: manufactured,
      },
      remainingPowerCapability: {
        remainingPowerCapabilityValue: {
          rPCLastUpdated: manufactured,
          atSoC: ph.number,
          powerCapabilityAt: ph.number,
        },
        lastUpdate: manufactured,
      },
      evolutionOfSelfDischarge: { evolutionOfSelfDischargeValue: ph.number, lastUpdate: manufactured },
      currentSelfDischargingRate: { currentSelfDischargingRateValue: ph.number, lastUpdate: manufactured },
      internalResistanceIncrease: increase,
      remainingRoundTripEnergyEfficiency: {
        remainingRoundTripEnergyEfficiencyValue: t.roundTripEfficiencyPercent ?? ph.number,
        lastUpdate: manufactured,
      },
      stateOfCharge: { stateOfChargeValue: ph.number, lastUpdate: manufactured },
    },
  };
}

// ---------------------------------------------------------------- Catena-X battery_pass 6.1.0

const cxStatus: Record<BatteryPassStatus, string> = {
  Original: 'original',
  Repurposed: 'repurposed',
  Reused: 're-used',
  Remanufactured: 'remanufactured',
  Waste: 'waste',
};

const doc = (header: string, url: string) => ({
  header: header.slice(0, 100),
  contentType: 'URL',
  content: url,
});

export function buildCatenax(input: PassportInput): { document: Record<string, unknown>; gaps: string[] } {
  const { documents, gaps: bpGaps } = buildBatteryPass(input);
  const gaps = new Gaps();
  const d = input.declaration;
  const docs = d.documents ?? {};
  const g = documents.GeneralProductInformation as {
    manufacturingDate: string;
    puttingIntoService: string;
    batteryCategory: string;
  };
  const perf = documents.PerformanceAndDurability as {
    batteryTechicalProperties: Record<string, number>;
    batteryCondition: Record<string, Record<string, number | string>>;
  };
  const tech = perf.batteryTechicalProperties;
  const cond = perf.batteryCondition;
  const uriOr = (path: string, v: string | undefined) => gaps.value(`BatteryPass.${path}`, v, ph.uri);
  const manufacturer = gaps.value(
    'BatteryPass.operation.manufacturer.manufacturer',
    d.manufacturerBpnl ?? d.economicOperatorBpnl,
    ph.bpnl,
  );
  const facility = gaps.value('BatteryPass.operation.manufacturer.facility', d.facilityBpna, ph.bpna);
  const issue = dateOnly(input.issuedAt);
  const expiry = `${Number(issue.slice(0, 4)) + ph.passportValidityYears}${issue.slice(4)}`;
  const category =
    { ev: 'EV', lmt: 'LMT', industrial: 'industrial', stationary: 'industrial' }[g.batteryCategory] ?? 'EV';
  const mass = input.massKg;
  const masses = input.materialMassesKg ?? {};
  const totalKg = mass ?? 0;
  const share = (element: string) =>
    input.recycledShares.find((s) => s.material === element)?.postConsumerSharePercent ?? 0;
  const active = (element: string, location: string) => ({
    location,
    recycled: share(element),
    critical: materialTable.materials[element]?.critical ?? false,
    documentation: [],
  });
  const nothing = (location: string) => ({
    impactOfSubstances: [],
    concentration: 0,
    location,
    materialUnit: 'unit:partPerMillion',
    critical: false,
    documentation: [],
  });
  const w = d.warranty;
  if (!w) gaps.note('BatteryPass.characteristics.warranty');
  const soh = (cond.stateOfCertifiedEnergy ?? {}) as {
    stateOfCertifiedEnergyValue: number;
    lastUpdate: string;
  };
  const ratedAh = tech.ratedCapacity ?? 0;
  const document = {
    specVersion: 'urn:io.catenax.battery.battery_pass:6.1.0',
    metadata: {
      version: '1.0.0',
      status: input.batteryStatus === 'Waste' ? 'expired' : 'approved',
      issueDate: issue,
      expirationDate: expiry,
      economicOperatorId: gaps.value(
        'BatteryPass.metadata.economicOperatorId',
        d.economicOperatorBpnl,
        ph.bpnl,
      ),
      passportIdentifier: catenaxIdentifier(input.passportId),
      // "If there is no preceding passport, input a dummy value" (schema description).
      predecessor: input.predecessors[0] ? catenaxIdentifier(input.predecessors[0]) : ph.noPredecessor,
      backupReference: uriOr('metadata.backupReference', docs.backupReferenceUrl),
      registrationIdentifier: input.publicUrl,
      lastModification: dateOnly(input.lastModified),
    },
    identification: {
      category,
      idDmc: input.code,
      chemistry: (documents.MaterialComposition as { batteryChemistry: { clearName: string } })
        .batteryChemistry.clearName,
      identification: {
        serial: [{ key: 'partInstanceId', value: input.code }],
        type: {
          manufacturerPartId: d.partNumber ?? input.code.slice(0, 7),
          nameAtManufacturer: d.nameAtManufacturer ?? `traction battery ${input.productType}`,
        },
        codes: [{ key: 'GB/T 34014-2017', value: input.code }],
        dataCarrier: {
          carrierType: 'QR',
          carrierLayout: `ISO/IEC 18004 QR code to ${input.publicUrl}`.slice(0, 200),
        },
        classification: [
          {
            classificationStandard: 'GB/T 34014-2017',
            classificationID: input.code.slice(3, 4),
            classificationDescription: `product type ${input.productType} (GB/T 34014 position 4)`,
          },
        ],
      },
    },
    operation: {
      manufacturer: {
        manufacturer,
        facility: [{ facility }],
        manufacturingDate: dateOnly(g.manufacturingDate),
      },
      ...(input.putIntoServiceAt ? { intoServiceDate: dateOnly(input.putIntoServiceAt) } : {}),
    },
    characteristics: {
      warranty: w
        ? { lifeValue: w.value, lifeUnit: `unit:${w.unit}` }
        : { lifeValue: ph.number, lifeUnit: 'unit:year' },
      physicalDimension: { weight: { value: mass ?? ph.number, unit: 'unit:kilogram' } },
    },
    commercial: {
      ...(input.putIntoServiceAt ? { placedOnMarket: dateOnly(input.putIntoServiceAt) } : {}),
      purpose: [input.application ?? 'automotive'],
    },
    sustainability: {
      status: cxStatus[input.batteryStatus],
      documents: {
        separateCollection: [
          doc(
            'Separate collection',
            uriOr('sustainability.documents.separateCollection', docs.separateCollectionUrl),
          ),
        ],
        wastePrevention: [
          doc('Waste prevention', uriOr('sustainability.documents.wastePrevention', docs.wastePreventionUrl)),
        ],
      },
      carbonFootprint: d.carbonFootprint
        ? [
            {
              value: d.carbonFootprint.kgCo2ePerKwh,
              unit: 'kg CO2e / kWh',
              lifecycle: 'total',
              type: 'Climate Change Total',
              performanceClass: d.carbonFootprint.performanceClass,
              manufacturingPlant: [{ facility }],
              rulebook: [doc('Carbon footprint study', d.carbonFootprint.studyUrl)],
              declaration: [doc('Carbon footprint declaration', d.carbonFootprint.studyUrl)],
            },
          ]
        : [],
    },
    materials: {
      active: {
        lithium: active('lithium', 'cathode'),
        nickel: active('nickel', 'cathode'),
        cobalt: active('cobalt', 'cathode'),
        lead: { ...nothing('none'), recycled: 0 },
      },
      hazardous: {
        cadmium: nothing('none'),
        mercury: nothing('none'),
        lead: { ...nothing('none'), recycled: 0 },
      },
      composition: Object.entries(masses)
        .filter(([element, kg]) => kg > 0 && materialTable.materials[element] && totalKg > 0)
        .map(([element, kg]) => {
          const m = materialTable.materials[element]!;
          return {
            id: [{ id: m.cas, type: 'CAS', name: m.name }],
            concentration: round((kg / totalKg) * 100, 3),
            unit: 'unit:percent',
            critical: m.critical,
            location: m.location,
            recycled: share(element),
            renewable: 0,
            documentation: [],
          };
        }),
    },
    performance: {
      rated: {
        voltage: {
          min: tech.minimumVoltage ?? 0,
          max: tech.maximumVoltage ?? 0,
          nominal: tech.nominalVoltage ?? 0,
        },
        roundTripEfficiency: {
          depthOfDischarge: 100,
          initial: tech.roundtripEfficiency ?? 0,
          '50PercentLife': tech.roundTripEfficiencyat50PerCentCycleLife ?? 0,
        },
        energy: { value: tech.ratedEnergy ?? 0 },
        resistance: {
          cell: d.technical?.initialInternalResistanceOhm?.cell ?? ph.number,
          pack: d.technical?.initialInternalResistanceOhm?.pack ?? ph.number,
          ...(d.technical?.initialInternalResistanceOhm?.module !== undefined
            ? { module: d.technical.initialInternalResistanceOhm.module }
            : {}),
        },
        power: {
          value: tech.ratedMaximumPower ?? 0,
          at20SoC: d.technical?.powerAt20SocW ?? ph.number,
          at80SoC: d.technical?.powerAt80SocW ?? ph.number,
        },
        capacity: { value: ratedAh, thresholdExhaustion: tech.capacityThresholdForExhaustion ?? 0 },
        temperature: {
          lower: d.technical?.temperatureRangeIdleState?.minimum ?? ph.number,
          upper: d.technical?.temperatureRangeIdleState?.maximum ?? ph.number,
        },
        selfDischargingRate: tech.initialSelfDischarge ?? 0,
        lifetime: {
          expectedYears: tech.expectedLifetime ?? 0,
          report: [
            doc(
              'Cycle-life reference test',
              uriOr('performance.rated.lifetime.report', docs.cycleLifeTestUrl),
            ),
          ],
          cycleLifeTesting: {
            temperature: 25,
            cycles: tech.expectedNumberOfCycles ?? 0,
            depthOfDischarge: 100,
            appliedChargeRate: tech.cRateLifeCycleTest ?? 0,
            appliedDischargeRate: tech.cRateLifeCycleTest ?? 0,
          },
        },
      },
      dynamic: {
        stateOfCharge: { value: 0, time: g.manufacturingDate },
        fullCycles: { value: 0, time: g.manufacturingDate },
        selfDischargingRate: 0,
        power: {
          fade: { value: 0, time: g.manufacturingDate },
          remaining: { value: tech.ratedMaximumPower ?? 0, time: g.manufacturingDate },
        },
        capacity: {
          fade: { value: round(100 - soh.stateOfCertifiedEnergyValue, 2), time: soh.lastUpdate },
          throughput: { value: 0, time: g.manufacturingDate },
          capacity: { value: round((ratedAh * soh.stateOfCertifiedEnergyValue) / 100), time: soh.lastUpdate },
        },
        roundTripEfficiency: {
          fade: { value: 0, time: g.manufacturingDate },
          remaining: { value: tech.roundtripEfficiency ?? 0, time: g.manufacturingDate },
        },
        resistance: {
          increase: {
            pack: { value: 0, time: g.manufacturingDate },
            cell: { value: 0, time: g.manufacturingDate },
          },
          remaining: {
            pack: {
              value: input.latestResistanceMilliohm ? input.latestResistanceMilliohm.value / 1000 : ph.number,
              time: input.latestResistanceMilliohm?.at ?? g.manufacturingDate,
            },
            cell: {
              value: d.technical?.initialInternalResistanceOhm?.cell ?? ph.number,
              time: g.manufacturingDate,
            },
          },
        },
        energy: {
          soce: { value: soh.stateOfCertifiedEnergyValue, time: soh.lastUpdate },
          remaining: {
            value: (cond.remainingEnergy as { remainingEnergyValue: number }).remainingEnergyValue,
            time: String((cond.remainingEnergy as { lastUpdate: string }).lastUpdate),
          },
        },
        ...(input.negativeEvents.length > 0
          ? {
              negativeEvents: input.negativeEvents.map((e) =>
                doc(`${dateOnly(e.at)} ${e.text}`, input.publicUrl),
              ),
            }
          : {}),
      },
    },
    conformity: {
      declarationOfConformity: [
        doc(
          'EU declaration of conformity',
          uriOr('conformity.declarationOfConformity', docs.declarationOfConformityUrl),
        ),
      ],
      resultOfTestReport: [doc('Test report', uriOr('conformity.resultOfTestReport', docs.testReportUrl))],
      thirdPartyAssurance: d.dueDiligence?.thirdPartyAssurancesUrl
        ? [doc('Third-party assurance', d.dueDiligence.thirdPartyAssurancesUrl)]
        : [],
      dueDiligencePolicy: [
        doc('Supply-chain due diligence', uriOr('conformity.dueDiligencePolicy', d.dueDiligence?.reportUrl)),
      ],
    },
    safety: {
      usableExtinguishAgent: (d.extinguishingAgents ?? []).map((media) => ({
        media,
        fireClass: 'not declared',
      })),
      safetyMeasures: [
        doc('Safety instructions', uriOr('safety.safetyMeasures', docs.safetyInstructionsUrl)),
      ],
      meaningOfLabels: (d.labels ?? []).map((l) => doc(l.meaning.en ?? l.subject, l.symbolUrl)),
      dismantling: [doc('Dismantling manual', uriOr('safety.dismantling', docs.dismantlingManualUrl))],
    },
    handling: {
      applicable: (d.sparePartSources ?? []).length > 0,
      content: {
        producer: [{ id: manufacturer }],
        sparePart: (d.sparePartSources ?? []).flatMap((s) =>
          s.components.map((c) => ({ manufacturerPartId: c.partNumber, nameAtManufacturer: c.partName })),
        ),
      },
    },
  };
  return { document, gaps: [...new Set([...bpGaps, ...gaps.list])] };
}

// ---------------------------------------------------------------- access levels (Art. 77(2))

type AccessMap = Record<string, Record<string, number[]>>;
const accessMap = (attributeAccess as { paths: AccessMap }).paths;
export const attributeAccessVersion = (attributeAccess as { version: string }).version;
export const attributeAccessPaths = accessMap;

/** The level that may see a mapped path: the most restrictive of its longlist rows. */
export function levelOfRows(
  rows: readonly number[],
  list: ReadonlyMap<number, LonglistAttribute>,
): AccessLevel {
  let level: AccessLevel = 'public';
  for (const n of rows) {
    const row = list.get(n);
    const rowLevel = row?.level ?? 'authority';
    if (levelRank(rowLevel) > levelRank(level)) level = rowLevel;
  }
  return level;
}

/**
 * Remove what `level` may not see. Mapped paths use the longlist; any property without a mapping
 * is shown to authorities only. Returns the filtered documents and the withheld paths.
 */
export function filterByAccess(
  documents: Record<string, Record<string, unknown>>,
  level: AccessLevel,
  list: ReadonlyMap<number, LonglistAttribute>,
): { documents: Record<string, Record<string, unknown>>; withheld: string[] } {
  const withheld: string[] = [];
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, document] of Object.entries(documents)) {
    const entries = Object.entries(accessMap[name] ?? {}).map(([path, rows]) => ({
      path: path.split('.'),
      level: levelOfRows(rows, list),
    }));
    out[name] = prune(structuredClone(document), [], entries, level, name, withheld) as Record<
      string,
      unknown
    >;
  }
  return { documents: out, withheld };
}

function prune(
  value: unknown,
  at: string[],
  entries: ReadonlyArray<{ path: string[]; level: AccessLevel }>,
  level: AccessLevel,
  name: string,
  withheld: string[],
): unknown {
  if (Array.isArray(value))
    return value.map((item) =>
      prune(item, [...at.slice(0, -1), `${at.at(-1)}[]`], entries, level, name, withheld),
    );
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const path = [...at, key];
    const exact = entries.find(
      (e) => e.path.join('.') === path.join('.') || e.path.join('.') === `${path.join('.')}[]`,
    );
    const below = entries.some((e) => {
      const p = e.path.join('.');
      return p.startsWith(`${path.join('.')}.`) || p.startsWith(`${path.join('.')}[].`);
    });
    const needed = exact?.level ?? (below ? null : 'authority');
    if (needed !== null && levelRank(needed) > levelRank(level)) {
      const label = `${name}.${path.join('.')}`;
      if (!withheld.includes(label)) withheld.push(label);
      continue;
    }
    result[key] = needed === null ? prune(child, path, entries, level, name, withheld) : child;
  }
  return result;
}
