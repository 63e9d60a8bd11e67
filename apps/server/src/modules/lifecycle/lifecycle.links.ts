/**
 * The links between assets an event implies, for the assets module's composition graph.
 *
 * - `composition` attach/detach: the child sits in the parent from/until the event's time
 *   (a pack in a vehicle, a module in a pack, a reused part in a vehicle).
 * - `derived_from`: the derived asset was made from the original (a cascade-use battery from the
 *   retired one, GB/T 34014 §4.1 and Reg. (EU) 2023/1542 Art. 77(7); a harvested part from its
 *   donor vehicle; a material lot from what was recycled).
 *
 * A fact may be recorded from both sides (`vehicle.battery_bound` on the vehicle and
 * `battery.installed` on the pack): the graph should treat a repeated attach or detach of the
 * same pair as a no-op.
 */
import { parseEventPayload } from './lifecycle.machine.ts';
import type { EventPayloads } from './lifecycle.payloads.ts';
import { type AssetKind, type AssetRef, batteryKindOfCode } from './lifecycle.schemas.ts';

export type LifecycleLink =
  | { kind: 'composition'; action: 'attach' | 'detach'; parent: AssetRef; child: AssetRef }
  | { kind: 'derived_from'; derived: AssetRef; original: AssetRef };

const attach = (parent: AssetRef, child: AssetRef): LifecycleLink => ({
  kind: 'composition',
  action: 'attach',
  parent,
  child,
});
const detach = (parent: AssetRef, child: AssetRef): LifecycleLink => ({
  kind: 'composition',
  action: 'detach',
  parent,
  child,
});
const derivedFrom = (derived: AssetRef, original: AssetRef): LifecycleLink => ({
  kind: 'derived_from',
  derived,
  original,
});

// Payload codes are validated GB/T 34014 codes, so position 4 always names a kind.
const battery = (code: string): AssetRef => ({ kind: batteryKindOfCode(code) as AssetKind, id: code });
const vehicle = (vin: string): AssetRef => ({ kind: 'vehicle', id: vin });

/**
 * Links implied by an event on `subject` (whose identity lives in the log envelope, not in the
 * payload). Validates the payload like `parseEventPayload`; events without links give `[]`.
 */
export function linksOf(type: string, payload: unknown, subject: AssetRef): LifecycleLink[] {
  const parsed = parseEventPayload(type, payload);
  switch (type) {
    case 'vehicle.battery_bound':
      return [attach(subject, battery((parsed as EventPayloads['vehicle.battery_bound']).packCode))];
    case 'vehicle.battery_replaced': {
      const p = parsed as EventPayloads['vehicle.battery_replaced'];
      return [detach(subject, battery(p.oldPackCode)), attach(subject, battery(p.newPackCode))];
    }
    case 'battery.produced':
      return ((parsed as EventPayloads['battery.produced']).componentCodes ?? []).map((c) =>
        attach(subject, battery(c)),
      );
    case 'battery.installed':
      return [attach((parsed as EventPayloads['battery.installed']).host, subject)];
    case 'battery.removed':
      return [detach((parsed as EventPayloads['battery.removed']).host, subject)];
    case 'battery.disassembled':
      return (parsed as EventPayloads['battery.disassembled']).componentCodes.map((c) =>
        detach(subject, battery(c)),
      );
    case 'battery.repurposed': {
      const p = parsed as EventPayloads['battery.repurposed'];
      return [derivedFrom(battery(p.newCode), { kind: subject.kind, id: p.originalCode })];
    }
    case 'part.harvested':
      return [derivedFrom(subject, vehicle((parsed as EventPayloads['part.harvested']).vin))];
    case 'part.installed':
      return [attach(vehicle((parsed as EventPayloads['part.installed']).vin), subject)];
    case 'material-lot.recovered':
      return (parsed as EventPayloads['material-lot.recovered']).sources.map((source) =>
        derivedFrom(subject, source),
      );
    default:
      return [];
  }
}
