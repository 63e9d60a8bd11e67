import calendar from './data/cn-working-days.json' with { type: 'json' };
import { invalid } from './errors.ts';

/**
 * China's working-day calendar (工作日), for the deadlines of the battery-traceability rules
 * (溯源管理暂行规定 Arts. 13–15: "15 个工作日"). The holiday and make-up working-day data live in
 * data/cn-working-days.json with their sources (State Council notices, 国务院办公厅关于 YYYY 年部分
 * 节假日安排的通知). A day is a working day when the notice lists it as a make-up working day
 * (调休上班), else when it is Monday to Friday and not a listed holiday. Years outside the data
 * count weekends only.
 *
 * Dates are civil dates in China (UTC+8, no daylight saving): `'2026-02-14'`, or an ISO timestamp /
 * Date, which is first converted to its date in Beijing (2026-02-14T20:00:00Z is 15 February there).
 * Results are `YYYY-MM-DD` strings.
 */
export type CalendarDate = string | Date;

export interface CalendarYearInfo {
  year: number;
  status: 'official' | 'provisional' | 'not-covered';
  source: string | null;
}

interface CalendarData {
  utcOffsetMinutes: number;
  years: Record<
    string,
    {
      status: string;
      source: { title: string; url?: string };
      holidays: Array<{ name: string; dates: string[] }>;
      workingDays: Array<{ date: string; for: string }>;
    }
  >;
}

const data = calendar as CalendarData;
const offsetMs = data.utcOffsetMinutes * 60_000;
const dayMs = 86_400_000;

const holidayNames = new Map<string, string>();
const makeUpWorkingDays = new Set<string>();
for (const year of Object.values(data.years)) {
  for (const holiday of year.holidays) for (const date of holiday.dates) holidayNames.set(date, holiday.name);
  for (const day of year.workingDays) makeUpWorkingDays.add(day.date);
}

const plainDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a civil date in China. */
function toDayNumber(date: CalendarDate, field: string): number {
  if (typeof date === 'string') {
    const match = plainDate.exec(date);
    if (match) {
      const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (new Date(day).toISOString().slice(0, 10) === date) return day / dayMs;
    } else if (/^\d{4}-\d{2}-\d{2}T/.test(date)) {
      const instant = Date.parse(date);
      if (!Number.isNaN(instant)) return Math.floor((instant + offsetMs) / dayMs);
    }
    throw invalid('invalid_date', `${field} is not a date`, [
      { field, message: `"${date}" is neither YYYY-MM-DD nor an ISO 8601 timestamp` },
    ]);
  }
  if (Number.isNaN(date.getTime()))
    throw invalid('invalid_date', `${field} is not a date`, [{ field, message: 'invalid Date' }]);
  return Math.floor((date.getTime() + offsetMs) / dayMs);
}

const fromDayNumber = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

function isWorkingDayNumber(day: number): boolean {
  const iso = fromDayNumber(day);
  if (makeUpWorkingDays.has(iso)) return true;
  if (holidayNames.has(iso)) return false;
  const weekday = new Date(day * dayMs).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The civil date in China of a timestamp or date, as YYYY-MM-DD. */
export function chinaDate(date: CalendarDate): string {
  return fromDayNumber(toDayNumber(date, 'date'));
}

/** Whether the day is a working day in mainland China. */
export function isWorkingDay(date: CalendarDate): boolean {
  return isWorkingDayNumber(toDayNumber(date, 'date'));
}

/**
 * The date n working days after `date` (before it when n < 0); `date` itself is not counted, so a
 * deadline of "15 working days from the event" is `addWorkingDays(eventDate, 15)`. n = 0 returns
 * the date unchanged.
 */
export function addWorkingDays(date: CalendarDate, n: number): string {
  if (!Number.isSafeInteger(n))
    throw invalid('invalid_count', 'n is not an integer', [
      { field: 'n', message: `${n} is not an integer` },
    ]);
  let day = toDayNumber(date, 'date');
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorkingDayNumber(day)) left--;
  }
  return fromDayNumber(day);
}

/**
 * Working days after `a` up to and including `b`; when b is before a, minus the working days after
 * `b` up to and including `a`. So `workingDaysBetween(a, addWorkingDays(a, n)) === n` for n ≥ 0, and
 * between(a, b) + between(b, c) = between(a, c). "Done within 15 working days of the event" means
 * `workingDaysBetween(eventDate, doneDate) <= 15`.
 */
export function workingDaysBetween(a: CalendarDate, b: CalendarDate): number {
  const from = toDayNumber(a, 'a');
  const to = toDayNumber(b, 'b');
  if (to < from) return -workingDaysBetween(b, a);
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (isWorkingDayNumber(day)) count++;
  return count;
}

/** The name of the public holiday on that day (e.g. 春节), or null. */
export function holidayName(date: CalendarDate): string | null {
  return holidayNames.get(fromDayNumber(toDayNumber(date, 'date'))) ?? null;
}

/** Whether the year's calendar is the official notice, a provisional one, or not covered at all. */
export function calendarYear(year: number): CalendarYearInfo {
  const entry = data.years[String(year)];
  if (!entry) return { year, status: 'not-covered', source: null };
  return {
    year,
    status: entry.status === 'official' ? 'official' : 'provisional',
    source: entry.source.url ? `${entry.source.title} ${entry.source.url}` : entry.source.title,
  };
}
