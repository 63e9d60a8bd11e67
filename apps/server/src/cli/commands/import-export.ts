import { createWriteStream, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type AssetKind, assetKinds, listAssets, registerAssets } from '../../modules/assets/index.ts';
import { localOperator } from '../../modules/parties/index.ts';
import { createServices } from '../../services.ts';
import type { FieldError } from '../../shared/errors.ts';
import { columnsByKind, csvRowFromView, recordFromCsvRow } from '../asset-records.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

export interface SourceRow {
  line: number;
  record: unknown;
  parseError?: FieldError;
}

/** Read a CSV (header row, one asset per row) or JSONL (one JSON object per line) file, keeping line numbers. */
export function readRows(path: string, format: 'csv' | 'jsonl', defaultKind?: string): SourceRow[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  if (format === 'jsonl') {
    const rows: SourceRow[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const record = JSON.parse(line) as unknown;
        if (
          record &&
          typeof record === 'object' &&
          !Array.isArray(record) &&
          defaultKind &&
          !('kind' in record)
        ) {
          (record as Record<string, unknown>).kind = defaultKind;
        }
        rows.push({ line: i + 1, record });
      } catch (error) {
        rows.push({
          line: i + 1,
          record: null,
          parseError: { field: '(line)', message: `not valid JSON: ${(error as Error).message}` },
        });
      }
    });
    return rows;
  }
  const records = parseCsv(text, {
    columns: true,
    skip_empty_lines: true,
    info: true,
    relax_column_count: false,
    trim: false,
  }) as Array<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  return records.map(({ record, info }) => ({
    line: info.lines,
    record: recordFromCsvRow(record, defaultKind),
  }));
}

function formatOf(path: string, explicit?: string): 'csv' | 'jsonl' {
  const format =
    explicit ??
    (extname(path).toLowerCase() === '.csv'
      ? 'csv'
      : extname(path).toLowerCase() === '.jsonl'
        ? 'jsonl'
        : undefined);
  if (format !== 'csv' && format !== 'jsonl')
    throw new UsageError('cannot tell the file format: use a .csv or .jsonl file, or --format csv|jsonl');
  return format;
}

function progressBar(label: string) {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
  });
  return bar;
}

export function registerImportExportCommands(program: Command): void {
  withDbOption(
    program
      .command('import [file]')
      .description('register assets from a CSV or JSONL file; all-or-nothing unless --partial')
      .option('--file <path>', 'the file to import (or give it as the argument)')
      .option('--kind <kind>', `default kind for rows without a kind column: ${assetKinds.join('|')}`)
      .option('--format <format>', 'csv|jsonl (default: from the file extension)')
      .option('--partial', 'import the valid rows even if some are rejected')
      .option('--json', 'print one JSON report'),
  ).action(
    action(
      async (
        fileArg: string | undefined,
        opts: {
          file?: string;
          kind?: string;
          format?: string;
          partial?: boolean;
          json?: boolean;
          db?: string;
        },
      ) => {
        const file = opts.file ?? fileArg;
        if (!file) throw new UsageError('give the file to import: carloop import --file <path>');
        if (opts.kind && !(assetKinds as readonly string[]).includes(opts.kind))
          throw new UsageError(`--kind must be one of ${assetKinds.join(', ')}`);
        const format = formatOf(file, opts.format);
        const rows = readRows(file, format, opts.kind);
        const parseErrors = rows
          .filter((r) => r.parseError)
          .map((r) => ({ line: r.line, errors: [r.parseError!] }));
        const candidates = rows.filter((r) => !r.parseError);
        const bar = progressBar('importing');
        bar?.start(candidates.length * 2, 0);
        const result = await withDatabase(opts, (db) =>
          registerAssets(
            db,
            localOperator,
            candidates.map((r) => r.record),
            {
              partial: Boolean(opts.partial),
              validateOnly: parseErrors.length > 0 && !opts.partial,
              hooks: createServices(db).assetHooks,
              onProgress: (done) => bar?.update(done),
            },
          ),
        );
        bar?.stop();
        const rejected = [
          ...parseErrors,
          ...result.rejected.map((r) => ({ line: candidates[r.index]!.line, errors: r.errors })),
        ].sort((a, b) => a.line - b.line);
        const report = {
          file,
          format,
          rows: rows.length,
          imported: result.registered.length,
          rejected,
          partial: Boolean(opts.partial),
        };
        if (opts.json) printJson(report);
        else {
          process.stdout.write(
            `${file}: ${rows.length} rows, ${report.imported} imported, ${rejected.length} rejected\n`,
          );
        }
        for (const r of rejected)
          process.stderr.write(
            `line ${r.line}: ${r.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}\n`,
          );
        if (rejected.length > 0 && !opts.partial) {
          process.stderr.write(
            'nothing was imported (all-or-nothing); fix the rows above or use --partial\n',
          );
          return 1;
        }
        return 0;
      },
    ),
  );
  withDbOption(
    program
      .command('export')
      .description('write every asset of a kind as CSV or JSONL (re-importable)')
      .requiredOption('--kind <kind>', assetKinds.join('|'))
      .option('--format <format>', 'csv|jsonl', 'csv')
      .option('--state <state>', 'only assets in this state')
      .option('--out <file>', 'write here instead of stdout'),
  ).action(
    action(async (opts: { kind: string; format: string; state?: string; out?: string; db?: string }) => {
      if (!(assetKinds as readonly string[]).includes(opts.kind))
        throw new UsageError(`--kind must be one of ${assetKinds.join(', ')}`);
      if (opts.format !== 'csv' && opts.format !== 'jsonl')
        throw new UsageError('--format must be csv or jsonl');
      const kind = opts.kind as AssetKind;
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      let count = 0;
      await withDatabase(opts, async (db) => {
        if (opts.format === 'csv') out.write(stringify([['kind', ...columnsByKind[kind]]]));
        let after: string | undefined;
        for (;;) {
          const items = await listAssets(db, localOperator, {
            kind,
            limit: 1000,
            ...(after ? { after } : {}),
            ...(opts.state ? { state: opts.state } : {}),
          });
          for (const item of items) {
            const view = item as Record<string, unknown>;
            if (opts.format === 'csv') out.write(stringify([[kind, ...csvRowFromView(kind, view)]]));
            else out.write(`${JSON.stringify(registrationOf(kind, view))}\n`);
          }
          count += items.length;
          if (items.length < 1000) break;
          after = items[items.length - 1]!.id;
        }
      });
      if (opts.out) {
        await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve));
        process.stderr.write(`wrote ${count} ${kind} record(s) to ${opts.out}\n`);
      }
    }),
  );
}

/** The registration object of an exported asset (the JSONL export is re-importable as is). */
function registrationOf(kind: AssetKind, view: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = { kind };
  for (const column of columnsByKind[kind]) {
    const value = column === 'vin' || column === 'code' ? view.id : view[column];
    if (value !== null && value !== undefined) record[column] = value;
  }
  if (kind === 'part' && record.fiveAssembly === false) delete record.fiveAssembly;
  return record;
}
