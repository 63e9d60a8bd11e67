import { Command } from 'commander';
import { registerAssetCommands } from './commands/asset.ts';
import { registerBatteriesCommands } from './commands/batteries.ts';
import { registerBuybackCommands } from './commands/buyback.ts';
import { registerCodesCommands } from './commands/codes.ts';
import { registerDismantlingCommands } from './commands/dismantling.ts';
import { registerImportExportCommands } from './commands/import-export.ts';
import { registerLedgerCommands } from './commands/ledger.ts';
import { registerPartyCommands } from './commands/party.ts';
import { registerRemarketingCommands } from './commands/remarketing.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerSimulateCommands } from './commands/simulate.ts';
import { registerStartCommands } from './commands/start.ts';
import { registerValuationCommands } from './commands/valuation.ts';

export function buildProgram(): Command {
  const program = new Command('carloop')
    .description('Carloop — vehicle full-lifecycle value management')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommands(program);
  registerCodesCommands(program);
  registerPartyCommands(program);
  registerAssetCommands(program);
  registerImportExportCommands(program);
  registerLedgerCommands(program);
  registerValuationCommands(program);
  registerBuybackCommands(program);
  registerRemarketingCommands(program);
  registerDismantlingCommands(program);
  registerBatteriesCommands(program);
  registerSimulateCommands(program);
  registerStartCommands(program);
  registerReportCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(
      (error as { code?: string }).code ?? '',
    );
    process.exitCode = benign ? 0 : (code ?? 2) === 1 ? 2 : (code ?? 2);
  }
}
