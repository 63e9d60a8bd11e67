import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Db } from '../../db/database.ts';
import { runSimulation, type SimulationResult } from '../../simulator/index.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

/** A progress bar on stderr, only when stderr is a terminal. */
export function progressBar(label: string) {
  if (!process.stderr.isTTY) return undefined;
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | month {value}/{total} | {stage}`,
    stream: process.stderr,
    hideCursor: true,
  });
}

/** Run a world with a progress bar on the terminal. */
export async function simulateWithProgress(
  db: Db,
  options: { vehicles: number; years: number; seed: string; end?: string },
  label = 'simulating',
): Promise<SimulationResult> {
  const bar = progressBar(label);
  let started = false;
  try {
    return await runSimulation(db, {
      ...options,
      onProgress: (done, total, stage) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, done, { stage });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { stage });
      },
    });
  } finally {
    if (started) bar?.stop();
  }
}

function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return n;
}

export function registerSimulateCommands(program: Command): void {
  withDbOption(
    program
      .command('simulate')
      .description(
        'seed a deterministic world (dealers, buyback, used cars, dismantlers, batteries, recycling) through the real services',
      )
      .requiredOption('--vehicles <n>', 'number of vehicles in the world')
      .requiredOption('--years <y>', 'years simulated (ending 2026-01-01 unless --end)')
      .requiredOption('--seed <s>', 'seed: the same seed gives the same world and ledger root')
      .option('--end <date>', 'last day of the world (exclusive), ISO date', '2026-01-01')
      .option('--json', 'one JSON document on stdout'),
  ).action(
    action(
      async (opts: {
        vehicles: string;
        years: string;
        seed: string;
        end: string;
        json?: boolean;
        db?: string;
      }) => {
        const options = {
          vehicles: positive('vehicles', opts.vehicles, true),
          years: positive('years', opts.years, false),
          seed: opts.seed,
          end: opts.end,
        };
        const result = await withDatabase(opts, (db) => simulateWithProgress(db, options));
        if (opts.json) printJson(result);
        else
          process.stdout.write(
            `simulated ${result.vehicles} vehicles over ${result.years} years (${result.from.slice(0, 10)} – ${result.to.slice(0, 10)}): ` +
              `${result.events} events in ${result.seconds} s (${result.eventsPerSecond}/s), root ${result.rootHash}\n`,
          );
      },
    ),
  );
}
