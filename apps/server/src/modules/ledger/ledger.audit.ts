import { bytesEqual, encodeBase64, leafHash, openCheckpoint, TreeFrontier } from '@carloop/ledger';
import type { Db } from '../../db/database.ts';
import { DomainError } from '../../shared/errors.ts';
import { type Principal, requirePermission } from '../parties/index.ts';
import { logIdentity } from './ledger.identity.ts';
import * as repo from './ledger.repository.ts';

export interface AuditReport {
  ok: boolean;
  size: number;
  entriesChecked: number;
  checkpointsChecked: number;
  rootHash: string;
  /** The first entry whose stored row no longer matches the tree, if any. */
  firstDivergentEntry: { seq: number; eventId: string; reason: string } | null;
  problems: string[];
}

const chunk = 5000;

/**
 * Recompute the whole tree from the stored entries and check every stored checkpoint against it:
 * each entry's leaf hash from its canonical bytes, the sequence without gaps, each checkpoint's
 * signature and root. Reports the first divergent entry if a row was altered behind the log's back.
 */
export async function auditLog(db: Db, principal?: Principal): Promise<AuditReport> {
  if (principal) requirePermission(principal, 'ledger:audit');
  const identity = await logIdentity(db);
  const checkpoints = await repo.allCheckpoints(db.kysely);
  const bySize = new Map(checkpoints.map((c) => [c.size, c]));
  const problems: string[] = [];
  let firstDivergentEntry: AuditReport['firstDivergentEntry'] = null;
  const frontier = new TreeFrontier();
  let checked = 0;
  const checkCheckpointAt = (size: number) => {
    const cp = bySize.get(size);
    if (!cp) return;
    checked++;
    try {
      const opened = openCheckpoint(cp.note, identity.verifierKey, { origin: identity.origin });
      if (opened.size !== size || !bytesEqual(opened.rootHash, cp.rootHash))
        problems.push(`checkpoint ${size}: note and stored root disagree`);
    } catch (error) {
      problems.push(`checkpoint ${size}: signature does not verify (${(error as Error).message})`);
    }
    if (!bytesEqual(frontier.root(), cp.rootHash))
      problems.push(`checkpoint ${size}: root does not match the tree recomputed from the entries`);
  };
  checkCheckpointAt(0);
  for (let from = 0; ; from += chunk) {
    const rows = await repo.entriesInRange(db.kysely, from, from + chunk);
    for (const row of rows) {
      if (row.seq !== frontier.size) {
        firstDivergentEntry ??= {
          seq: frontier.size,
          eventId: row.eventId,
          reason: `entry ${frontier.size} is missing (next stored is ${row.seq})`,
        };
        problems.push(`entry ${frontier.size} is missing`);
        return finish();
      }
      const recomputed = leafHash(new TextEncoder().encode(row.entry));
      if (!bytesEqual(recomputed, row.leafHash)) {
        firstDivergentEntry ??= {
          seq: row.seq,
          eventId: row.eventId,
          reason: 'entry bytes do not hash to the stored leaf hash (the row was altered)',
        };
      }
      frontier.append(recomputed);
      checkCheckpointAt(frontier.size);
    }
    if (rows.length < chunk) break;
  }
  const latest = checkpoints.at(-1);
  if (latest && latest.size !== frontier.size)
    problems.push(`the log holds ${frontier.size} entries but the latest checkpoint says ${latest.size}`);
  return finish();

  function finish(): AuditReport {
    if (firstDivergentEntry && !problems.some((p) => p.startsWith(`entry ${firstDivergentEntry!.seq}`))) {
      problems.unshift(`entry ${firstDivergentEntry.seq}: ${firstDivergentEntry.reason}`);
    }
    return {
      ok: problems.length === 0 && firstDivergentEntry === null,
      size: frontier.size,
      entriesChecked: frontier.size,
      checkpointsChecked: checked,
      rootHash: encodeBase64(frontier.root()),
      firstDivergentEntry,
      problems,
    };
  }
}

/**
 * Start-up check: the latest checkpoint must verify with the log's key, and the root recomputed from
 * the stored leaf hashes must equal it. Refuses to run otherwise.
 */
export async function verifyLogAtStartup(db: Db): Promise<{ size: number }> {
  const identity = await logIdentity(db);
  const latest = await repo.latestCheckpoint(db.kysely);
  if (!latest) return { size: 0 };
  const fail = (why: string) =>
    new DomainError('integrity', 'log_integrity', `refusing to start: ${why}; run \`carloop ledger audit\``);
  try {
    openCheckpoint(latest.note, identity.verifierKey, { origin: identity.origin });
  } catch (error) {
    throw fail(`the latest checkpoint does not verify (${(error as Error).message})`);
  }
  const frontier = new TreeFrontier();
  for (let from = 0; from < latest.size; from += chunk) {
    const rows = await repo.leafHashesInRange(db.kysely, from, Math.min(from + chunk, latest.size));
    for (const row of rows) {
      if (row.seq !== frontier.size) throw fail(`entry ${frontier.size} is missing`);
      frontier.append(row.leafHash);
    }
  }
  if (frontier.size !== latest.size)
    throw fail(`the log holds ${frontier.size} entries but its checkpoint says ${latest.size}`);
  if (!bytesEqual(frontier.root(), latest.rootHash))
    throw fail(`the recomputed root disagrees with checkpoint ${latest.size}`);
  return { size: latest.size };
}
