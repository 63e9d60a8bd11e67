import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import {
  applyTransition,
  eventCatalogue,
  exampleHistories,
  examplePayloadFor,
  examplePayloads,
  INITIAL,
  exampleIds as ids,
  odometerOf,
  statesOf,
  type TransitionRequest,
} from './index.ts';

function errorOf(request: TransitionRequest): DomainError {
  try {
    applyTransition(request);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${request.type} to be rejected`);
}

const vehicleEvent = (
  type: keyof typeof examplePayloads,
  state: string | null,
  payload: unknown = examplePayloads[type],
) => ({ kind: 'vehicle', state, type, payload }) as const;

describe('applyTransition: legal moves', () => {
  it('moves a vehicle through sale and registration', () => {
    expect(applyTransition(vehicleEvent('vehicle.produced', null)).toState).toBe('produced');
    expect(applyTransition(vehicleEvent('vehicle.sold', 'produced')).toState).toBe('sold');
    expect(applyTransition(vehicleEvent('vehicle.registered', 'sold')).toState).toBe('in_use');
  });

  it('leaves the state unchanged for facts that do not move the subject', () => {
    for (const type of [
      'vehicle.odometer_read',
      'vehicle.serviced',
      'vehicle.accident_reported',
      'vehicle.battery_health_reported',
    ] as const) {
      expect(applyTransition(vehicleEvent(type, 'in_use')).toState).toBe('in_use');
    }
    expect(applyTransition(vehicleEvent('vehicle.appraised', 'listed')).toState).toBe('listed');
  });

  it('accepts every transition the catalogue declares, for every subject kind and source state', () => {
    let count = 0;
    for (const d of eventCatalogue) {
      for (const kind of d.subjectKinds) {
        const states =
          d.fromStates === INITIAL ? [null] : d.fromStates.filter((s) => statesOf(kind).includes(s));
        for (const state of states) {
          const result = applyTransition({
            kind,
            state,
            type: d.type,
            payload: examplePayloadFor(d.type, kind),
          });
          expect(result.toState).toBe(d.toState ?? state);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it.each(exampleHistories.map((h) => [h.name, h] as const))(
    'replays the example history "%s" without flags',
    (_name, h) => {
      let state: string | null = null;
      let lastOdometerKm: number | undefined;
      for (const event of h.events) {
        const result = applyTransition({
          kind: h.kind,
          state,
          ...event,
          context: { lastOdometerKm, subjectId: h.subjectId },
        });
        expect(result.flags, event.type).toEqual([]);
        state = result.toState;
        lastOdometerKm = odometerOf(event.type, event.payload) ?? lastOdometerKm;
      }
      expect(state).toBe(h.finalState);
    },
  );

  it('returns the parsed payload', () => {
    const result = applyTransition(vehicleEvent('vehicle.listed', 'in_stock'));
    expect(result.payload).toEqual(examplePayloads['vehicle.listed']);
  });
});

describe('applyTransition: illegal moves', () => {
  it('will not sell a dismantled car', () => {
    const error = errorOf(vehicleEvent('vehicle.sold', 'dismantled'));
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toBe(
      "vehicle.sold is not allowed for a vehicle in state 'dismantled'; allowed from: produced ('dismantled' is a terminal state: it accepts no events)",
    );
    expect(error.errors).toEqual([{ field: 'type', message: error.message }]);
  });

  it('will not resell a deregistered vehicle', () => {
    const error = errorOf(vehicleEvent('vehicle.resold', 'deregistered'));
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toBe(
      "vehicle.resold is not allowed for a vehicle in state 'deregistered'; allowed from: listed, in_stock",
    );
  });

  it('will not install a recycled pack', () => {
    const error = errorOf({
      kind: 'battery-pack',
      state: 'recycled',
      type: 'battery.installed',
      payload: examplePayloads['battery.installed'],
    });
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toContain(
      "battery.installed is not allowed for a battery-pack in state 'recycled'",
    );
    expect(error.message).toContain('allowed from: produced, graded');
    expect(error.message).toContain('terminal');
  });

  it('will not dismantle a vehicle before its certificate and deregistration', () => {
    expect(errorOf(vehicleEvent('vehicle.dismantled', 'elv_received')).message).toContain(
      'allowed from: deregistered',
    );
    expect(errorOf(vehicleEvent('vehicle.deregistered', 'in_use')).message).toContain(
      'allowed from: certified',
    );
  });

  it('will not create a subject twice, nor move one that does not exist', () => {
    expect(errorOf(vehicleEvent('vehicle.produced', 'in_use')).message).toBe(
      "vehicle.produced creates a new vehicle; this vehicle already exists in state 'in_use'",
    );
    expect(errorOf(vehicleEvent('vehicle.sold', null)).message).toBe(
      'vehicle.sold is not allowed for a vehicle that does not exist yet; its first event must be one of: vehicle.produced, vehicle.enrolled',
    );
  });

  it('rejects a state the kind does not have', () => {
    expect(errorOf(vehicleEvent('vehicle.listed', 'recycled')).message).toContain(
      "'recycled' is not a state of a vehicle",
    );
  });

  it('rejects an event type for the wrong kind of subject as invalid', () => {
    const error = errorOf({
      kind: 'battery-pack',
      state: 'produced',
      type: 'vehicle.sold',
      payload: examplePayloads['vehicle.sold'],
    });
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('subject_kind_mismatch');
    expect(error.message).toBe('vehicle.sold applies to vehicle, not to a battery-pack');
    expect(error.errors[0]?.field).toBe('type');
    expect(
      errorOf({ kind: 'battery-cell', state: 'removed', type: 'battery.disassembled', payload: {} }).code,
    ).toBe('subject_kind_mismatch');
  });

  it('rejects an unknown type, an unknown kind and a bad payload as invalid', () => {
    expect(errorOf(vehicleEvent('vehicle.flown' as never, 'in_use', {})).code).toBe('unknown_event_type');
    expect(errorOf({ kind: 'boat' as never, state: null, type: 'vehicle.produced', payload: {} }).code).toBe(
      'unknown_asset_kind',
    );
    const bad = errorOf(vehicleEvent('vehicle.listed', 'in_stock', { price: 5 }));
    expect(bad.code).toBe('invalid_payload');
    expect(bad.errors.every((e) => e.field.startsWith('payload'))).toBe(true);
  });
});

describe('applyTransition: odometer', () => {
  const rollback = {
    code: 'odometer_rollback_suspected',
    message: 'odometer fell from 61500 km to 12040 km',
  };

  it('accepts a lower reading but flags a suspected rollback', () => {
    const result = applyTransition({
      ...vehicleEvent('vehicle.odometer_read', 'in_use'),
      context: { lastOdometerKm: 61_500 },
    });
    expect(result.toState).toBe('in_use');
    expect(result.flags).toEqual([rollback]);
  });

  it('checks every event that carries odometerKm', () => {
    const cases = [
      ['vehicle.serviced', 'in_use'],
      ['vehicle.appraised', 'in_stock'],
      ['vehicle.buyback_exercised', 'in_use'],
      ['vehicle.accident_reported', 'in_use'],
      ['vehicle.ownership_transferred', 'in_use'],
    ] as const;
    for (const [type, state] of cases) {
      const result = applyTransition({
        ...vehicleEvent(type, state),
        context: { lastOdometerKm: 1_000_000 },
      });
      expect(
        result.flags.map((f) => f.code),
        type,
      ).toEqual(['odometer_rollback_suspected']);
    }
  });

  it('does not flag an equal or higher reading, or the first one', () => {
    for (const lastOdometerKm of [undefined, 0, 12_040]) {
      expect(
        applyTransition({ ...vehicleEvent('vehicle.odometer_read', 'in_use'), context: { lastOdometerKm } })
          .flags,
      ).toEqual([]);
    }
  });

  it('reads the odometer from vehicle events only', () => {
    expect(odometerOf('vehicle.serviced', examplePayloads['vehicle.serviced'])).toBe(20_310);
    expect(odometerOf('vehicle.sold', examplePayloads['vehicle.sold'])).toBeUndefined();
    expect(odometerOf('battery.removed', { odometerKm: 5 })).toBeUndefined();
    expect(odometerOf('vehicle.odometer_read', null)).toBeUndefined();
  });
});

describe('applyTransition: rules that need the subject', () => {
  it('puts each battery kind only into its own kind of host', () => {
    const installed = (kind: 'battery-pack' | 'battery-module' | 'battery-cell', host: unknown) =>
      ({
        kind,
        state: 'produced',
        type: 'battery.installed',
        payload: { ...examplePayloads['battery.installed'], host },
      }) as const;
    expect(applyTransition(installed('battery-cell', { kind: 'battery-pack', id: ids.pack })).toState).toBe(
      'installed',
    );
    const error = errorOf(installed('battery-module', { kind: 'vehicle', id: ids.vin }));
    expect(error.code).toBe('invalid_host');
    expect(error.errors).toEqual([
      { field: 'payload.host.kind', message: 'must be battery-pack for a battery-module' },
    ]);
  });

  it('lets a pack contain modules or cells, a module only cells, a cell nothing', () => {
    const produced = (kind: 'battery-pack' | 'battery-module' | 'battery-cell', componentCodes: string[]) =>
      ({
        kind,
        state: null,
        type: 'battery.produced',
        payload: { ...examplePayloads['battery.produced'], componentCodes },
      }) as const;
    expect(applyTransition(produced('battery-pack', [ids.cell])).toState).toBe('produced');
    expect(errorOf(produced('battery-module', [ids.cell, ids.module])).errors).toEqual([
      { field: 'payload.componentCodes.1', message: 'a battery-module cannot contain a battery-module' },
    ]);
    expect(errorOf(produced('battery-cell', [ids.cell])).code).toBe('invalid_components');
  });

  it('checks that a repurposed battery names itself as the original', () => {
    const request = {
      kind: 'battery-pack',
      state: 'graded',
      type: 'battery.repurposed',
      payload: examplePayloads['battery.repurposed'],
    } as const;
    expect(applyTransition({ ...request, context: { subjectId: ids.pack } }).toState).toBe('repurposed');
    expect(errorOf({ ...request, context: { subjectId: ids.otherPack } }).code).toBe(
      'payload_subject_mismatch',
    );
  });

  it('keeps five major assemblies out of the reuse market (Order 715 Art. 12)', () => {
    const request = {
      kind: 'part',
      state: 'in_stock',
      type: 'part.sold',
      payload: examplePayloads['part.sold'],
    } as const;
    expect(applyTransition({ ...request, context: { fiveAssembly: false } }).toState).toBe('sold');
    const error = errorOf({ ...request, context: { fiveAssembly: true } });
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('five_assembly_reuse_forbidden');
    const toRemanufacturer = { ...examplePayloads['part.sold'], destination: 'remanufacturing' };
    expect(
      applyTransition({ ...request, payload: toRemanufacturer, context: { fiveAssembly: true } }).toState,
    ).toBe('sold');
  });

  it('flags an end-of-life vehicle received incomplete (实施细则 Art. 20)', () => {
    const received = (missingItems: string[]) =>
      applyTransition(
        vehicleEvent('vehicle.elv_received', 'in_use', {
          ...examplePayloads['vehicle.elv_received'],
          missingItems,
        }),
      ).flags;
    expect(received([])).toEqual([]);
    expect(received(['transmission']).map((f) => f.code)).toEqual(['elv_incomplete']);
    expect(received(['frame', 'transmission'])).toEqual([
      {
        code: 'elv_counts_as_missing',
        message:
          'received without frame: counts as a missing vehicle, no recycling certificate may be issued',
      },
    ]);
  });
});
