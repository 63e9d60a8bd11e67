import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { formatVerificationReport, verifyHistoryBundle } from '@carloop/ledger';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Command } from 'commander';
import type { Db } from '../../db/database.ts';
import {
  appendEvents,
  auditLog,
  batchFormat,
  currentCheckpoint,
  erasePayload,
  exportHistory,
  proveConsistency,
  proveInclusion,
  type Submitter,
  signBatch,
  subjectHistory,
  submitterOfSignedBatch,
} from '../../modules/ledger/index.ts';
import { catalogueJson } from '../../modules/lifecycle/index.ts';
import { authenticate, localOperator, tokenKeyId } from '../../modules/parties/index.ts';
import { DomainError, type FieldError, invalid } from '../../shared/errors.ts';
import { action, withDatabase, withDbOption } from '../context.ts';
import { printJson, UsageError } from '../output.ts';

interface EventsFile {
  events: unknown[];
  /** File line of each event, for error messages. */
  lines: number[];
  signed?: unknown;
}

/** events.jsonl (one event per line) or a signed batch JSON document. */
export function readEventsFile(path: string): EventsFile {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.includes(`"${batchFormat}"`)) {
    try {
      const signed = JSON.parse(trimmed) as { events?: unknown[] };
      if (
        signed &&
        typeof signed === 'object' &&
        !Array.isArray(signed) &&
        Array.isArray(signed.events) &&
        trimmed.split('\n').length > 0
      ) {
        const looksLikeOneDocument = !/\n\s*\{/.test(trimmed.replace(/^\{[\s\S]*?"events"/, ''));
        if (looksLikeOneDocument || trimmed.split(/\r?\n/).length === 1) {
          return { events: signed.events, lines: signed.events.map((_, i) => i + 1), signed };
        }
      }
    } catch {
      // not a single JSON document: read it as JSONL below
    }
  }
  const events: unknown[] = [];
  const lines: number[] = [];
  const errors: FieldError[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
      lines.push(i + 1);
    } catch (error) {
      errors.push({ field: '(line)', message: `not valid JSON: ${(error as Error).message}`, line: i + 1 });
    }
  });
  if (errors.length > 0)
    throw invalid('invalid_batch', `${errors.length} line(s) are not JSON; nothing was appended`, errors);
  return { events, lines };
}

/** Batch errors carry the item number; turn it into the file's line number. */
function withFileLines(error: unknown, lines: number[]): unknown {
  if (!(error instanceof DomainError)) return error;
  const errors = error.errors.map((e) =>
    e.line === undefined ? e : { ...e, line: lines[e.line - 1] ?? e.line },
  );
  const message = error.message.replace(
    /^line (\d+):/,
    (_, n: string) => `line ${lines[Number(n) - 1] ?? n}:`,
  );
  return new DomainError(error.kind, error.code, message, errors);
}

async function submitterFor(
  db: Db,
  file: EventsFile,
  opts: { party?: string; token?: string },
): Promise<{ submitter: Submitter; events: unknown[] }> {
  if (file.signed) return submitterOfSignedBatch(db, file.signed);
  if (!opts.token)
    throw new UsageError(
      'say who submits: --party <id> --token <token>, or a signed batch file (carloop ledger sign-batch)',
    );
  const principal = await authenticate(db, opts.token);
  if (opts.party && opts.party !== principal.partyId)
    throw new UsageError(`--token belongs to party ${principal.partyId}, not ${opts.party}`);
  return { submitter: { principal, keyId: tokenKeyId(opts.token) }, events: file.events };
}

function readSecretKey(text: string): Uint8Array {
  const value = text.trim();
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 32)
    throw new UsageError(
      'the key file must hold a 32-byte Ed25519 private key in base64 (see carloop ledger keygen)',
    );
  return new Uint8Array(bytes);
}

export function registerLedgerCommands(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('the verifiable lifecycle log: append, checkpoints, proofs, audit, erasure');
  ledger
    .command('types')
    .description('the event catalogue: type, subject kind, allowed states, payload JSON Schema')
    .option('--json', 'JSON array')
    .action(
      action(async (opts: { json?: boolean }) => {
        const rows = catalogueJson();
        if (opts.json) printJson(rows);
        else
          for (const r of rows)
            process.stdout.write(
              `${r.type.padEnd(40)} ${r.subjectKind.padEnd(15)} ${JSON.stringify(r.fromStates)} → ${r.toState ?? '(unchanged)'}\n`,
            );
      }),
    );
  withDbOption(
    ledger
      .command('append')
      .description('append events from a JSONL file (one event per line) or a signed batch; all or nothing')
      .requiredOption('--file <path>', 'events.jsonl, or a signed batch JSON (carloop ledger sign-batch)')
      .option('--party <id>', 'the submitting party')
      .option('--token <token>', "the submitting party's API token")
      .option('--json', 'one JSON result'),
  ).action(
    action(async (opts: { file: string; party?: string; token?: string; json?: boolean; db?: string }) => {
      const file = readEventsFile(opts.file);
      const result = await withDatabase(opts, async (db) => {
        const { submitter, events } = await submitterFor(db, file, opts);
        try {
          return await appendEvents(db, submitter, events);
        } catch (error) {
          throw withFileLines(error, file.lines);
        }
      });
      if (opts.json)
        printJson({
          appended: result.appended,
          firstSeq: result.firstSeq,
          lastSeq: result.lastSeq,
          checkpoint: result.checkpoint,
        });
      else
        process.stdout.write(
          `appended ${result.appended} event(s), seq ${result.firstSeq}–${result.lastSeq}; log size ${result.checkpoint.size}\n`,
        );
    }),
  );
  ledger
    .command('keygen')
    .description(
      'make an Ed25519 key pair for signing event batches (register the public key with party add-key)',
    )
    .option('--out <file>', 'write the private key here (base64) instead of printing it')
    .option('--json', 'JSON object')
    .action(
      action(async (opts: { out?: string; json?: boolean }) => {
        const secret = ed25519.utils.randomSecretKey();
        const publicKey = Buffer.from(ed25519.getPublicKey(secret)).toString('base64');
        const secretKey = Buffer.from(secret).toString('base64');
        if (opts.out) writeFileSync(opts.out, `${secretKey}\n`, { mode: 0o600 });
        if (opts.json) printJson({ publicKey, ...(opts.out ? { secretKeyFile: opts.out } : { secretKey }) });
        else
          process.stdout.write(
            `public key: ${publicKey}\n${opts.out ? `private key written to ${opts.out}` : `private key: ${secretKey}`}\n`,
          );
      }),
    );
  ledger
    .command('sign-batch')
    .description('sign an events.jsonl file as one batch (one Ed25519 signature over the batch digest)')
    .requiredOption('--file <path>', 'events.jsonl')
    .requiredOption('--party <id>', 'the submitting party')
    .requiredOption('--key <file>', 'file with the base64 Ed25519 private key')
    .requiredOption('--out <file>', 'where to write the signed batch')
    .action(
      action(async (opts: { file: string; party: string; key: string; out: string }) => {
        const { events } = readEventsFile(opts.file);
        const batch = signBatch(events, opts.party, readSecretKey(readFileSync(opts.key, 'utf8')));
        writeFileSync(opts.out, `${JSON.stringify(batch)}\n`);
        process.stderr.write(`signed ${events.length} event(s) with key ${batch.keyId} → ${opts.out}\n`);
      }),
    );
  withDbOption(
    ledger.command('checkpoint').description('the latest signed checkpoint').option('--json', 'JSON object'),
  ).action(
    action(async (opts: { json?: boolean; db?: string }) => {
      const cp = await withDatabase(opts, (db) => currentCheckpoint(db));
      if (opts.json)
        printJson({ origin: cp.origin, size: cp.size, rootHash: cp.rootHash, note: cp.note, vkey: cp.vkey });
      else process.stdout.write(`${cp.note}\nverifier key: ${cp.vkey}\n`);
    }),
  );
  withDbOption(
    ledger
      .command('prove')
      .description('inclusion proof of entry --seq in the tree of --size (default: latest)')
      .requiredOption('--seq <n>', 'leaf index (0-based)')
      .option('--size <m>', 'tree size')
      .option('--json', 'JSON object'),
  ).action(
    action(async (opts: { seq: string; size?: string; json?: boolean; db?: string }) => {
      const p = await withDatabase(opts, (db) =>
        proveInclusion(
          db,
          integer(opts.seq, '--seq'),
          opts.size === undefined ? undefined : integer(opts.size, '--size'),
        ),
      );
      printJson(p);
    }),
  );
  withDbOption(
    ledger
      .command('consistency')
      .description('consistency proof between trees of sizes --from and --to')
      .requiredOption('--from <m>')
      .requiredOption('--to <n>')
      .option('--json', 'JSON object'),
  ).action(
    action(async (opts: { from: string; to: string; json?: boolean; db?: string }) => {
      printJson(
        await withDatabase(opts, (db) =>
          proveConsistency(db, integer(opts.from, '--from'), integer(opts.to, '--to')),
        ),
      );
    }),
  );
  withDbOption(
    ledger
      .command('audit')
      .description('recompute the whole tree from the stored entries and check every checkpoint')
      .option('--json', 'JSON report'),
  ).action(
    action(async (opts: { json?: boolean; db?: string }) => {
      const report = await withDatabase(opts, (db) => auditLog(db));
      if (opts.json) printJson(report);
      else {
        process.stdout.write(
          `audit ${report.ok ? 'OK' : 'FAILED'}: ${report.entriesChecked} entries, ${report.checkpointsChecked} checkpoints, root ${report.rootHash}\n`,
        );
        for (const p of report.problems) process.stdout.write(`  ✗ ${p}\n`);
      }
      return report.ok ? 0 : 1;
    }),
  );
  withDbOption(
    ledger
      .command('erase-payload <event>')
      .description("delete an event's payload and salt (personal-data request); proofs stay valid")
      .option('--reason <text>', 'why', 'personal-data erasure request')
      .option('--json', 'JSON object'),
  ).action(
    action(async (event: string, opts: { reason: string; json?: boolean; db?: string }) => {
      const r = await withDatabase(opts, (db) => erasePayload(db, localOperator, event, opts.reason));
      if (opts.json) printJson(r);
      else process.stdout.write(`erased the payload of event ${r.eventId} (seq ${r.seq}) at ${r.erasedAt}\n`);
    }),
  );
  withDbOption(
    ledger
      .command('history <subject>')
      .description("a subject's events, payloads and flags")
      .option('--json', 'JSON object'),
  ).action(
    action(async (subject: string, opts: { json?: boolean; db?: string }) => {
      const h = await withDatabase(opts, (db) => subjectHistory(db, localOperator, subject));
      if (opts.json) printJson(h);
      else {
        process.stdout.write(`${h.subject.kind} ${h.subject.id}: ${h.events.length} event(s)\n`);
        for (const e of h.events) {
          process.stdout.write(
            `  #${e.subjectSeq} seq ${e.seq} ${e.occurredAt} ${e.type}${e.payloadStatus === 'redacted' ? ' [redacted]' : ''}\n`,
          );
          for (const f of e.flags) process.stdout.write(`     ⚑ ${f.code}: ${f.message}\n`);
        }
      }
    }),
  );

  const history = program.command('history').description('history bundles that anyone can verify offline');
  withDbOption(
    history
      .command('export <subjectId>')
      .description('write the subject history bundle (carloop-history@1)')
      .requiredOption('--out <file>', 'where to write the bundle'),
  ).action(
    action(async (subjectId: string, opts: { out: string; db?: string }) => {
      const bundle = await withDatabase(opts, (db) => exportHistory(db, localOperator, subjectId));
      writeFileSync(opts.out, `${JSON.stringify(bundle, null, 2)}\n`);
      process.stderr.write(
        `wrote ${bundle.events.length} event(s) of ${bundle.subject.kind} ${subjectId} → ${opts.out}\n`,
      );
    }),
  );

  program
    .command('verify <bundle>')
    .description('verify a history bundle offline: signature, every proof, every payload, the subject chain')
    .option('--key <vkey>', "the log's verifier key you trust (else the bundle's own key is used)")
    .option('--json', 'JSON report')
    .action(
      action(async (path: string, opts: { key?: string; json?: boolean }) => {
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
        }
        const result = verifyHistoryBundle(text, opts.key ? { trustedVerifierKey: opts.key } : {});
        if (opts.json) printJson(result);
        else process.stdout.write(`${formatVerificationReport(result)}\n`);
        return result.ok ? 0 : 1;
      }),
    );
}

function integer(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a non-negative integer`);
  return Number(text);
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
