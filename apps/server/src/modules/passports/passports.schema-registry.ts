/**
 * JSON Schema validation of exported passports: each Battery Pass submodel against the newest
 * version of its schema under shared/data/batterypass (found at run time, so a new version is
 * picked up without a code change), and the Catena-X form against battery_pass 6.1.0. The schemas
 * are draft-04 (ajv-draft-04); their `format`s are checked by the two functions below.
 */
import Ajv04Import from 'ajv-draft-04';
import { DomainError } from '../../shared/errors.ts';
import { listShared, readShared } from './passports.shared-data.ts';

export const submodelNames = [
  'GeneralProductInformation',
  'CarbonFootprint',
  'SupplyChainDueDiligence',
  'MaterialComposition',
  'Circularity',
  'PerformanceAndDurability',
  'Labeling',
] as const;
export type SubmodelName = (typeof submodelNames)[number];

/** The Battery Pass model directory of each submodel (io.BatteryPass.<dir>/<version>/gen/). */
const modelDirs: Record<SubmodelName, string> = {
  GeneralProductInformation: 'io.BatteryPass.GeneralProductInformation',
  CarbonFootprint: 'io.BatteryPass.CarbonFootprint',
  SupplyChainDueDiligence: 'io.BatteryPass.SupplyChainDueDiligence',
  MaterialComposition: 'io.BatteryPass.MaterialComposition',
  Circularity: 'io.BatteryPass.Circularity',
  PerformanceAndDurability: 'io.BatteryPass.Performance',
  Labeling: 'io.BatteryPass.Labels',
};

export const catenaxModel = { dir: 'io.catenax.battery.battery_pass', version: '6.1.0' } as const;

export interface SchemaInfo {
  name: string;
  version: string;
  file: string;
  urn: string;
  schema: Record<string, unknown>;
}

const semver = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10));
const compareVersions = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/** Newest version directory of a Battery Pass submodel that has a generated schema. */
export function batteryPassSchemaInfo(name: SubmodelName): SchemaInfo {
  const dir = modelDirs[name];
  const versions = listShared('batterypass', 'BatteryPass', dir)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort(compareVersions)
    .reverse();
  for (const version of versions) {
    const file = listShared('batterypass', 'BatteryPass', dir, version, 'gen').find(
      (f) => f.endsWith('-schema.json') || f.endsWith('.schema'),
    );
    if (!file) continue;
    const schema = JSON.parse(readShared('batterypass', 'BatteryPass', dir, version, 'gen', file)) as Record<
      string,
      unknown
    >;
    return {
      name,
      version,
      file: `batterypass/BatteryPass/${dir}/${version}/gen/${file}`,
      urn: String(schema['x-samm-aspect-model-urn'] ?? ''),
      schema,
    };
  }
  throw new DomainError(
    'integrity',
    'schema_missing',
    `no Battery Pass schema for ${name} under shared/data`,
  );
}

export function catenaxSchemaInfo(): SchemaInfo {
  const file = 'BatteryPass-schema.json';
  const schema = JSON.parse(
    readShared('catenax', catenaxModel.dir, catenaxModel.version, 'gen', file),
  ) as Record<string, unknown>;
  return {
    name: 'BatteryPass',
    version: catenaxModel.version,
    file: `catenax/${catenaxModel.dir}/${catenaxModel.version}/gen/${file}`,
    urn: String(schema['x-samm-aspect-model-urn'] ?? ''),
    schema,
  };
}

// RFC 3339 date-time (JSON Schema `date-time`) and an absolute URI (`uri`, RFC 3986 scheme ":" rest).
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const uri = /^[a-z][a-z0-9+.-]*:[^\s]*$/i;

type Validator = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string }> | null;
};
const AjvClass = ((Ajv04Import as unknown as { default?: unknown }).default ?? Ajv04Import) as new (
  options: Record<string, unknown>,
) => {
  addFormat(name: string, format: RegExp): void;
  compile(schema: Record<string, unknown>): Validator;
};

const compiled = new Map<string, { info: SchemaInfo; validate: Validator }>();

function validatorFor(key: string, load: () => SchemaInfo) {
  let entry = compiled.get(key);
  if (!entry) {
    // strict: false — the generated schemas carry SAMM keywords (x-samm-aspect-model-urn, components).
    const ajv = new AjvClass({ allErrors: true, strict: false });
    ajv.addFormat('date-time', dateTime);
    ajv.addFormat('uri', uri);
    const info = load();
    entry = { info, validate: ajv.compile(info.schema) };
    compiled.set(key, entry);
  }
  return entry;
}

export interface ValidationReport {
  schema: string;
  version: string;
  file: string;
  valid: boolean;
  errors: Array<{ field: string; message: string }>;
}

function run(
  entry: { info: SchemaInfo; validate: Validator },
  document: unknown,
  prefix: string,
): ValidationReport {
  const valid = entry.validate(document);
  return {
    schema: entry.info.urn,
    version: entry.info.version,
    file: entry.info.file,
    valid,
    errors: valid
      ? []
      : (entry.validate.errors ?? []).map((e) => ({
          field: `${prefix}${e.instancePath.replaceAll('/', '.')}`,
          message: e.message ?? 'invalid',
        })),
  };
}

export function validateSubmodel(name: SubmodelName, document: unknown): ValidationReport {
  return run(
    validatorFor(`bp:${name}`, () => batteryPassSchemaInfo(name)),
    document,
    name,
  );
}

export function validateCatenax(document: unknown): ValidationReport {
  return run(validatorFor('cx', catenaxSchemaInfo), document, 'BatteryPass');
}
