import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid } from './index.ts';

describe('isUuid (RFC 9562)', () => {
  it.each([
    '550e8400-e29b-41d4-a716-446655440000',
    '550E8400-E29B-41D4-A716-446655440000',
    '017f22e2-79b0-7cc3-98c4-dc0c0c07398f',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ])('accepts %s', (value) => {
    expect(isUuid(value)).toBe(true);
  });

  it.each([
    '',
    '550e8400e29b41d4a716446655440000',
    '{550e8400-e29b-41d4-a716-446655440000}',
    '550e8400-e29b-01d4-a716-446655440000',
    '550e8400-e29b-41d4-c716-446655440000',
    '550e8400-e29b-41d4-a716-44665544000g',
    ' 550e8400-e29b-41d4-a716-446655440000',
  ])('rejects %j', (value) => {
    expect(isUuid(value)).toBe(false);
  });

  it('checks the version when asked', () => {
    expect(isUuid('550e8400-e29b-41d4-a716-446655440000', { version: 4 })).toBe(true);
    expect(isUuid('017f22e2-79b0-7cc3-98c4-dc0c0c07398f', { version: 4 })).toBe(false);
    expect(isUuid('00000000-0000-0000-0000-000000000000', { version: 4 })).toBe(false);
  });

  it('accepts the urn:uuid: form only when allowed (Catena-X passport ids, identifiers.md §3)', () => {
    const urn = 'urn:uuid:550e8400-e29b-41d4-a716-446655440000';
    expect(isUuid(urn)).toBe(false);
    expect(isUuid(urn, { allowUrn: true, version: 4 })).toBe(true);
  });

  it('accepts every UUID that fast-check generates, of any version, and checks v4 when asked', () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => isUuid(uuid)));
    fc.assert(fc.property(fc.uuid({ version: 4 }), (uuid) => isUuid(uuid, { version: 4 })));
  });
});
