import type { Command } from 'commander';
import { localOperator } from '../../modules/parties/index.ts';
import { loopReport } from '../../modules/reports/index.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson } from '../output.ts';

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('reports of the whole loop');
  withDbOption(
    report
      .command('loop')
      .description(
        'vehicles per stage, value captured per stage, guarantee performance, recovery rates, avoided emissions',
      )
      .option('--json', 'one JSON document on stdout'),
  ).action(
    action(async (opts: { json?: boolean; db?: string }) => {
      const result = await withDatabase(opts, (db) => loopReport(db, localOperator));
      if (opts.json) {
        printJson(result);
        return;
      }
      const v = result.valueCaptured;
      const lines = [
        `vehicles: ${result.vehicles.total}  ${Object.entries(result.vehicles.byStage)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}`,
        `sales: ${v.sales.count} for ${v.sales.amount} ${v.currency} (${v.sales.withGuarantee.count} with a guarantee, GFV ${v.guarantees.guaranteedFutureValue})`,
        `buyback: ${v.buybackSettlements.handBacks.count} hand-backs paid ${v.buybackSettlements.handBacks.amount}, ${v.buybackSettlements.tradeIns.count} trade-ins`,
        `resales: ${v.resales.retail.count} retail, ${v.resales.wholesale.count} wholesale, margin ${v.resales.margin.amount}`,
        `parts: ${v.parts.reuse.count} sold for reuse (${v.parts.reuse.amount}), ${v.parts.remanufacturing.count} to remanufacturing (${v.parts.remanufacturing.amount})`,
        `batteries: ${v.batterySecondLife.products} second-life products (${v.batterySecondLife.energyKwh} kWh); materials ${v.materials.fromVehiclesKg} kg from vehicles, ${v.materials.fromBatteriesKg} kg from batteries`,
        `recovery (ISO 22628): recyclability ${result.recoveryRates.vehicles.recyclabilityRate}, recoverability ${result.recoveryRates.vehicles.recoverabilityRate} over ${result.recoveryRates.vehicles.vehicles} vehicles`,
        `avoided emissions: ${result.avoidedEmissions.total} ${result.avoidedEmissions.unit} (factors ${result.avoidedEmissions.factors.table}@${result.avoidedEmissions.factors.version})`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }),
  );
}
