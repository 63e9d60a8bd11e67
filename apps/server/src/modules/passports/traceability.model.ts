/**
 * China battery traceability (溯源): which lifecycle events are reportable, by whom, by when, and
 * the status of each report. Pure; the duty table is data/traceability-rules.json.
 */
import { addWorkingDays, chinaDate, workingDaysBetween } from '../../shared/working-days.ts';
import rules from './data/traceability-rules.json' with { type: 'json' };

export interface Duty {
  event: string;
  article: string;
  workingDays: number;
  note: string;
  type: string;
  payload?: Record<string, string[]>;
  /** The acting party must hold this role (e.g. only a dismantler's hand-over is an Art. 13 outbound). */
  partyRole?: string;
  /** Who reports: the event's submitter, or a party id field of the payload. */
  party: string;
}

const table = rules as { version: string; dueSoonWorkingDays: number; duties: Duty[] };
export const traceabilityRulesVersion = table.version;
export const dueSoonWorkingDays = table.dueSoonWorkingDays;
export const duties: readonly Duty[] = table.duties;
export const reportableTypes = new Set(duties.map((d) => d.type));
export const statuses = ['on_time', 'late', 'overdue', 'due_soon', 'pending'] as const;
export type ReportStatus = (typeof statuses)[number];

export interface MatchedDuty {
  duty: Duty;
  partyId: string;
}

/** The duties an event carries; `rolesOf` answers the roles of a party (for role-bound duties). */
export function dutiesOf(
  type: string,
  payload: Record<string, unknown>,
  submitterParty: string,
  rolesOf: (partyId: string) => readonly string[],
): MatchedDuty[] {
  const out: MatchedDuty[] = [];
  for (const duty of duties) {
    if (duty.type !== type) continue;
    const fits = Object.entries(duty.payload ?? {}).every(([field, allowed]) =>
      allowed.includes(String(payload[field])),
    );
    if (!fits) continue;
    const partyId = duty.party === 'submitter' ? submitterParty : String(payload[duty.party.slice(8)] ?? '');
    if (!partyId) continue;
    if (duty.partyRole && !rolesOf(partyId).includes(duty.partyRole)) continue;
    out.push({ duty, partyId });
  }
  return out;
}

/** Deadline: the event's date in China plus N working days (the event day itself not counted). */
export function deadlineOf(occurredAt: string, workingDays: number): string {
  return addWorkingDays(occurredAt, workingDays);
}

/**
 * on_time / late once reported (by the report's date in China); unreported: overdue after the
 * deadline, due_soon within `dueSoonWorkingDays` working days of it, else pending.
 */
export function statusOf(deadline: string, reportedAt: string | null, asOf: string): ReportStatus {
  if (reportedAt !== null) return chinaDate(reportedAt) <= deadline ? 'on_time' : 'late';
  const today = chinaDate(asOf);
  if (today > deadline) return 'overdue';
  return workingDaysBetween(today, deadline) <= dueSoonWorkingDays ? 'due_soon' : 'pending';
}
