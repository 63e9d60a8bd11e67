import { checkBatteryCode, checkVin } from '@carloop/codes';
import type { Command } from 'commander';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

function printReport(
  report: { valid: boolean; errors: Array<{ field: string; message: string }> },
  json: boolean,
  lines: string[],
): number {
  if (json) printJson(report);
  else {
    process.stdout.write(`${lines.join('\n')}\n`);
    for (const e of report.errors) process.stdout.write(`  ✗ ${e.field}: ${e.message}\n`);
  }
  return report.valid ? 0 : 1;
}

export function registerCodesCommands(program: Command): void {
  const codes = program
    .command('codes')
    .description('check and decode identifiers (VIN, GB/T 34014 battery codes)');
  codes
    .command('vin <vin>')
    .description('validate a VIN (ISO 3779): alphabet, check digit, WMI region and model year')
    .option('--json', 'print one JSON object')
    .action(
      action(async (vin: string, opts: { json?: boolean }) => {
        const r = checkVin(vin);
        return printReport(r, Boolean(opts.json), [
          `${r.input}: ${r.valid ? 'valid' : 'INVALID'}`,
          `  WMI ${r.wmi ?? '-'} (${r.country ?? 'unknown country'}, ${r.region ?? 'unknown region'})`,
          `  check digit expected ${r.checkDigit.expected ?? '-'}, found ${r.checkDigit.actual ?? '-'}${r.checkDigit.enforced ? ' (enforced)' : ' (not enforced here)'}`,
          `  model year ${r.modelYearCandidates.join(' or ') || '-'}`,
        ]);
      }),
    );
  codes
    .command('battery <code>')
    .description(
      'validate and decode a GB/T 34014-2017 traction battery code (24-character or 19-character cascade form)',
    )
    .option('--json', 'print one JSON object')
    .action(
      action(async (code: string, opts: { json?: boolean }) => {
        const r = checkBatteryCode(code);
        const f = r.fields;
        return printReport(r, Boolean(opts.json), [
          `${r.input}: ${r.valid ? `valid (${r.form})` : 'INVALID'}`,
          `  manufacturer ${f.manufacturer ?? '-'}, ${f.productType ?? '-'}, chemistry ${f.chemistry ?? '-'}, spec ${f.specification ?? '-'}`,
          `  traceability ${f.traceability ?? '-'}, produced ${f.production.year ?? '-'}-${f.production.month ?? '-'}-${f.production.day ?? '-'}, serial ${f.serial ?? '-'}`,
        ]);
      }),
    );
}
