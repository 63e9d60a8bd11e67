import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import calendar from '../src/shared/data/cn-working-days.json' with { type: 'json' };
import { DomainError } from '../src/shared/errors.ts';
import {
  addWorkingDays,
  calendarYear,
  chinaDate,
  holidayName,
  isWorkingDay,
  workingDaysBetween,
} from '../src/shared/working-days.ts';

describe('isWorkingDay', () => {
  it('follows the State Council notices: holidays rest, make-up weekends work', () => {
    expect(isWorkingDay('2026-02-16')).toBe(false); // 除夕, Monday, inside the 9-day Spring Festival
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday 调休上班
    expect(isWorkingDay('2026-02-28')).toBe(true); // Saturday 调休上班
    expect(isWorkingDay('2026-02-24')).toBe(true); // Tuesday after the break
    expect(isWorkingDay('2024-02-09')).toBe(true); // 2024 除夕 was not a holiday
    expect(isWorkingDay('2024-02-04')).toBe(true); // Sunday 调休上班
    expect(isWorkingDay('2025-10-08')).toBe(false); // National Day + Mid-Autumn merged to 8 days
    expect(isWorkingDay('2025-10-11')).toBe(true);
    expect(isWorkingDay('2026-03-07')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2027-02-08')).toBe(false); // provisional 2027: 初三
    expect(isWorkingDay('2030-03-04')).toBe(true); // not covered: Monday
  });

  it('takes timestamps in Beijing time', () => {
    expect(chinaDate('2026-02-14T20:00:00Z')).toBe('2026-02-15');
    expect(isWorkingDay('2026-02-13T15:59:59Z')).toBe(true); // Friday 23:59 in Beijing
    expect(isWorkingDay('2026-02-14T16:00:00Z')).toBe(false); // Sunday 15 Feb 00:00 in Beijing
    expect(isWorkingDay(new Date('2026-03-02T01:00:00Z'))).toBe(true);
  });

  it('refuses what is not a date, naming the field', () => {
    for (const bad of ['2026-02-30', '2026/02/01', '', 'tomorrow']) {
      try {
        isWorkingDay(bad);
        expect.fail(`accepted ${bad}`);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).errors[0]?.field).toBe('date');
      }
    }
  });

  it('names holidays and reports coverage', () => {
    expect(holidayName('2026-10-03')).toBe('国庆节');
    expect(holidayName('2026-10-08')).toBeNull();
    expect(calendarYear(2026).status).toBe('official');
    expect(calendarYear(2027).status).toBe('provisional');
    expect(calendarYear(2031).status).toBe('not-covered');
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it('computes the 15-working-day traceability deadline across Spring Festival 2026', () => {
    // Working days after Fri 6 Feb: 9–13 (5), Sat 14 (6), 24–27 (10), Sat 28 (11), 2–5 Mar (15).
    expect(addWorkingDays('2026-02-06', 15)).toBe('2026-03-05');
    expect(workingDaysBetween('2026-02-06', '2026-03-05')).toBe(15);
    expect(addWorkingDays('2026-03-05', -15)).toBe('2026-02-06');
  });

  it('across National Day 2025', () => {
    // After Fri 26 Sep: Sun 28 (1), 29–30 (3), 9–10 Oct (5), Sat 11 (6), 13–17 (11), 20–23 (15).
    expect(addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
  });

  it('n = 0 returns the date; between is antisymmetric', () => {
    expect(addWorkingDays('2026-02-16', 0)).toBe('2026-02-16');
    expect(workingDaysBetween('2026-03-05', '2026-02-06')).toBe(-15);
    expect(workingDaysBetween('2026-02-06', '2026-02-06')).toBe(0);
  });

  const day = fc
    .integer({ min: Date.UTC(2023, 11, 1) / 86_400_000, max: Date.UTC(2028, 0, 31) / 86_400_000 })
    .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

  it('property: between(a, add(a, n)) = n, and add lands on a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), (a, n) => {
        const b = addWorkingDays(a, n);
        expect(workingDaysBetween(a, b)).toBe(n);
        if (n !== 0) expect(isWorkingDay(b)).toBe(true);
      }),
    );
  });

  it('property: stepping back from a working day is undone by stepping forward', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), (a, n) => {
        fc.pre(isWorkingDay(a));
        const b = addWorkingDays(a, -n);
        expect(isWorkingDay(b)).toBe(true);
        expect(workingDaysBetween(b, a)).toBe(n);
        expect(addWorkingDays(b, n)).toBe(a);
      }),
    );
  });

  it('property: between is additive', () => {
    fc.assert(
      fc.property(day, day, day, (a, b, c) => {
        expect(workingDaysBetween(a, b) + workingDaysBetween(b, c)).toBe(workingDaysBetween(a, c));
      }),
    );
  });
});

describe('the data file', () => {
  it('every official year lists each notice day once, make-up days on weekends, holidays not on make-up days', () => {
    for (const [year, entry] of Object.entries(calendar.years)) {
      const holidays = entry.holidays.flatMap((h) => h.dates);
      expect(new Set(holidays).size).toBe(holidays.length);
      for (const date of holidays) expect(date.startsWith(year)).toBe(true);
      for (const { date } of entry.workingDays) {
        expect([0, 6]).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
        expect(holidays).not.toContain(date);
      }
      expect(entry.source.title.length).toBeGreaterThan(10);
    }
  });

  it('holiday counts match the notices (2026: 3 + 9 + 3 + 5 + 3 + 3 + 7)', () => {
    const count = (y: keyof typeof calendar.years) =>
      calendar.years[y].holidays.reduce((n, h) => n + h.dates.length, 0);
    expect(count('2024')).toBe(1 + 8 + 3 + 5 + 1 + 3 + 7);
    expect(count('2025')).toBe(1 + 8 + 3 + 5 + 3 + 8);
    expect(count('2026')).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
  });
});
