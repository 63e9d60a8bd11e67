import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { eventTypes, examplePayloadFor, examplePayloads, exampleIds as ids, linksOf } from './index.ts';

const vehicle = { kind: 'vehicle', id: ids.vin } as const;
const pack = { kind: 'battery-pack', id: ids.pack } as const;
const module = { kind: 'battery-module', id: ids.module } as const;
const otherModule = { kind: 'battery-module', id: ids.otherModule } as const;

describe('linksOf', () => {
  it('attaches a pack bound to a vehicle, from either side', () => {
    const attach = { kind: 'composition', action: 'attach', parent: vehicle, child: pack };
    expect(linksOf('vehicle.battery_bound', examplePayloads['vehicle.battery_bound'], vehicle)).toEqual([
      attach,
    ]);
    expect(linksOf('battery.installed', examplePayloads['battery.installed'], pack)).toEqual([attach]);
  });

  it('detaches a removed pack and swaps a replaced one', () => {
    expect(linksOf('battery.removed', examplePayloads['battery.removed'], pack)).toEqual([
      { kind: 'composition', action: 'detach', parent: vehicle, child: pack },
    ]);
    expect(linksOf('vehicle.battery_replaced', examplePayloads['vehicle.battery_replaced'], vehicle)).toEqual(
      [
        { kind: 'composition', action: 'detach', parent: vehicle, child: pack },
        {
          kind: 'composition',
          action: 'attach',
          parent: vehicle,
          child: { kind: 'battery-pack', id: ids.otherPack },
        },
      ],
    );
  });

  it('attaches components at production and detaches them at disassembly', () => {
    expect(linksOf('battery.produced', examplePayloads['battery.produced'], pack)).toEqual([
      { kind: 'composition', action: 'attach', parent: pack, child: module },
      { kind: 'composition', action: 'attach', parent: pack, child: otherModule },
    ]);
    expect(
      linksOf('battery.disassembled', examplePayloads['battery.disassembled'], pack).map(
        (l) => l.kind === 'composition' && l.action,
      ),
    ).toEqual(['detach', 'detach']);
    const cell = examplePayloadFor('battery.produced', 'battery-cell');
    expect(linksOf('battery.produced', cell, { kind: 'battery-cell', id: ids.cell })).toEqual([]);
  });

  it('derives a cascade product from its original, with the kind read from the new code', () => {
    expect(linksOf('battery.repurposed', examplePayloads['battery.repurposed'], pack)).toEqual([
      { kind: 'derived_from', derived: { kind: 'battery-pack', id: ids.cascadePack }, original: pack },
    ]);
    const moduleRepurposed = examplePayloadFor('battery.repurposed', 'battery-module');
    expect(linksOf('battery.repurposed', moduleRepurposed, module)).toEqual([
      { kind: 'derived_from', derived: { kind: 'battery-module', id: ids.cascadeModule }, original: module },
    ]);
  });

  it('derives harvested parts from their donor and material lots from their sources', () => {
    const part = { kind: 'part', id: ids.part } as const;
    expect(linksOf('part.harvested', examplePayloads['part.harvested'], part)).toEqual([
      { kind: 'derived_from', derived: part, original: vehicle },
    ]);
    expect(linksOf('part.installed', examplePayloads['part.installed'], part)).toEqual([
      { kind: 'composition', action: 'attach', parent: { kind: 'vehicle', id: ids.otherVin }, child: part },
    ]);
    const lot = { kind: 'material-lot', id: ids.lot } as const;
    expect(linksOf('material-lot.recovered', examplePayloads['material-lot.recovered'], lot)).toHaveLength(2);
  });

  it('gives no links for facts that do not touch the graph, and validates the payload', () => {
    expect(linksOf('vehicle.sold', examplePayloads['vehicle.sold'], vehicle)).toEqual([]);
    expect(() => linksOf('battery.installed', { host: 'nowhere' }, pack)).toThrow(DomainError);
    for (const type of eventTypes)
      expect(Array.isArray(linksOf(type, examplePayloads[type], pack))).toBe(true);
  });
});
