import { describe, expect, it } from 'vitest';
import {
  type AssetKind,
  allowedEventTypes,
  assetKinds,
  catalogueJson,
  eventCatalogue,
  eventTypes,
  examplePayloadFor,
  examplePayloads,
  INITIAL,
  initialStates,
  payloadSchemas,
  statesOf,
  terminalStates,
} from './index.ts';

const kindsOf = (type: string) => eventCatalogue.find((d) => d.type === type)?.subjectKinds ?? [];

/** States reachable from nothing by following the catalogue. */
function reachableStates(kind: AssetKind): Set<string> {
  const seen = new Set<string>(initialStates(kind));
  const queue = [...seen];
  while (queue.length > 0) {
    const state = queue.pop()!;
    for (const type of allowedEventTypes(kind, state)) {
      const next = eventCatalogue.find((d) => d.type === type)!.toState ?? state;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('event catalogue', () => {
  it('has exactly one definition per event type, each with its payload schema', () => {
    expect(eventCatalogue.map((d) => d.type).sort()).toEqual([...eventTypes].sort());
    for (const d of eventCatalogue) expect(d.payload).toBe(payloadSchemas[d.type]);
  });

  it('names event types <area>.<verb_past> in snake case', () => {
    for (const d of eventCatalogue) {
      expect(d.type).toMatch(/^(vehicle|battery|part|material-lot)\.[a-z]+(?:_[a-z]+)*$/);
      expect(d.description.length).toBeGreaterThan(0);
    }
  });

  it('covers the whole loop', () => {
    for (const type of [
      'vehicle.produced',
      'vehicle.battery_bound',
      'vehicle.sold',
      'vehicle.registered',
      'vehicle.odometer_read',
      'vehicle.serviced',
      'vehicle.accident_reported',
      'vehicle.battery_health_reported',
      'vehicle.battery_replaced',
      'vehicle.ownership_transferred',
      'vehicle.buyback_exercised',
      'vehicle.appraised',
      'vehicle.reconditioned',
      'vehicle.listed',
      'vehicle.resold',
      'vehicle.deregistered',
      'vehicle.recycling_certificate_issued',
      'vehicle.dismantled',
      'part.harvested',
      'battery.removed',
      'battery.soh_tested',
      'battery.graded',
      'battery.repurposed',
      'battery.deployed',
      'battery.retired',
      'battery.recycled',
      'material-lot.recovered',
    ]) {
      expect(eventTypes).toContain(type);
    }
  });

  it('gives every asset kind at least one creation event', () => {
    for (const kind of assetKinds) {
      expect(allowedEventTypes(kind, null).length).toBeGreaterThan(0);
      expect(initialStates(kind).length).toBeGreaterThan(0);
    }
    // vehicle.enrolled: a car from outside the loop starts in service, without a production event.
    expect(initialStates('vehicle')).toEqual(['produced', 'in_use']);
    expect(initialStates('battery-cell')).toEqual(['produced']);
    expect(initialStates('part')).toEqual(['harvested', 'in_stock']);
    expect(initialStates('material-lot')).toEqual(['recovered']);
  });

  it.each(assetKinds)('uses only declared states for a %s', (kind) => {
    const declared = statesOf(kind);
    for (const d of eventCatalogue.filter((e) => e.subjectKinds.includes(kind))) {
      if (d.fromStates !== INITIAL) expect(d.fromStates.some((s) => declared.includes(s))).toBe(true);
      if (d.toState !== null) expect(declared).toContain(d.toState);
      if (d.toState === null) expect(d.fromStates).not.toBe(INITIAL);
    }
    for (const s of terminalStates(kind)) expect(declared).toContain(s);
  });

  it.each(assetKinds)('reaches every declared state of a %s from its creation', (kind) => {
    expect([...reachableStates(kind)].sort()).toEqual([...statesOf(kind)].sort());
  });

  it.each(assetKinds)('lets every non-terminal state of a %s move on, and no terminal one', (kind) => {
    for (const state of statesOf(kind)) {
      const next = allowedEventTypes(kind, state);
      if (terminalStates(kind).includes(state)) expect(next, state).toEqual([]);
      else expect(next.length, state).toBeGreaterThan(0);
    }
  });

  it('makes dismantled, recycled, scrapped and shipped terminal', () => {
    expect(terminalStates('vehicle')).toEqual(['dismantled']);
    expect(terminalStates('battery-pack')).toContain('recycled');
    expect(terminalStates('part')).toEqual(['scrapped']);
    expect(terminalStates('material-lot')).toEqual(['shipped']);
  });
});

describe('example payloads', () => {
  it.each(eventTypes)('%s has a valid example for every subject kind', (type) => {
    expect(examplePayloads[type]).toBeDefined();
    for (const kind of kindsOf(type)) {
      const parsed = payloadSchemas[type].safeParse(examplePayloadFor(type, kind));
      expect(parsed.error?.issues ?? [], `${type} for ${kind}`).toEqual([]);
    }
  });
});

describe('catalogueJson', () => {
  const rows = catalogueJson();

  it('has one row per (type, subject kind) with exactly the published keys', () => {
    const expected = eventCatalogue.flatMap((d) => d.subjectKinds.map((k) => `${d.type} ${k}`));
    expect(rows.map((r) => `${r.type} ${r.subjectKind}`)).toEqual(expected);
    expect(new Set(expected).size).toBe(expected.length);
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual([
        'fromStates',
        'payloadSchema',
        'subjectKind',
        'toState',
        'type',
      ]);
  });

  it('is plain JSON that survives a JSON round trip', () => {
    for (const row of rows) {
      expect(JSON.parse(JSON.stringify(row))).toEqual(row);
      expect(row.payloadSchema.type).toBe('object');
      expect(row.payloadSchema.additionalProperties).toBe(false);
    }
  });

  it('writes creation events as fromStates "initial" and restricts states to the row kind', () => {
    expect(rows.find((r) => r.type === 'vehicle.produced')?.fromStates).toBe('initial');
    const retiredCell = rows.find((r) => r.type === 'battery.retired' && r.subjectKind === 'battery-cell');
    expect(retiredCell?.fromStates).toEqual(['produced', 'removed', 'tested', 'graded', 'deployed']);
    expect(rows.find((r) => r.type === 'vehicle.odometer_read')?.toState).toBeNull();
  });

  it('returns a copy callers cannot corrupt', () => {
    const first = catalogueJson();
    first[0]!.toState = 'tampered';
    expect(catalogueJson()[0]!.toState).not.toBe('tampered');
  });

  it('has no field for personal data in any payload (the log is permanent)', () => {
    const forbidden =
      /^(?:.*name|.*phone.*|.*email.*|.*address|idNumber|idCard.*|passport.*|plate.*|licen[cs]e.*|owner)$/i;
    const fieldNames = (schema: unknown): string[] => {
      if (typeof schema !== 'object' || schema === null) return [];
      const own = Object.keys((schema as { properties?: object }).properties ?? {});
      return [...own, ...Object.values(schema).flatMap(fieldNames)];
    };
    for (const row of rows) {
      for (const field of fieldNames(row.payloadSchema))
        expect(field, `${row.type}.${field}`).not.toMatch(forbidden);
    }
  });
});
