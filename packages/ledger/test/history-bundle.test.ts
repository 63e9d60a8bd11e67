import { describe, expect, it } from 'vitest';
import {
  assembleHistoryBundle,
  buildEnvelope,
  canonicalize,
  decodeBase64,
  EnvelopeError,
  encodeBase64,
  formatVerificationReport,
  generateSignerKey,
  type HistoryBundle,
  type JsonValue,
  MerkleTree,
  parseEnvelope,
  payloadCommitment,
  signCheckpoint,
  verifyHistoryBundle,
} from '../src/index.ts';

const ORIGIN = 'log.carloop.example';
const logKey = generateSignerKey(ORIGIN, new Uint8Array(32).fill(3));

interface LoggedEvent {
  seq: number;
  entry: Uint8Array;
  payload: JsonValue;
  salt: Uint8Array;
  subjectId: string;
}

/** A small log: two vehicles' events interleaved, as the server would sequence them. */
function buildLog(): { tree: MerkleTree; events: LoggedEvent[] } {
  const plan: [string, string, JsonValue][] = [
    ['VIN-A', 'vehicle.registered', { vin: 'LSVAU2180N2183294', model: 'ID.4' }],
    ['VIN-B', 'vehicle.registered', { vin: 'LFV2A21K6N4000001' }],
    ['VIN-A', 'vehicle.inspected', { odometerKm: 12_000, grade: 'A' }],
    ['VIN-B', 'vehicle.inspected', { odometerKm: 3_000 }],
    ['VIN-A', 'buyback.guaranteed', { priceMinor: 15_000_000, currency: 'CNY' }],
    ['VIN-A', 'vehicle.sold', { priceMinor: 14_200_000, currency: 'CNY', buyer: 'party-9' }],
    ['VIN-B', 'vehicle.sold', { priceMinor: 9_000_000, currency: 'CNY' }],
    ['VIN-A', 'battery.removed', { sohPercent: 87 }],
  ];
  const tree = new MerkleTree();
  const last = new Map<string, { leafHash: Uint8Array; subjectSeq: number }>();
  const events = plan.map(([subjectId, type, payload], seq) => {
    const salt = new Uint8Array(32).fill(seq + 1);
    const before = last.get(subjectId);
    const built = buildEnvelope({
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      type,
      subject: { kind: 'vehicle', id: subjectId },
      subjectSeq: before ? before.subjectSeq + 1 : 0,
      prev: before ? before.leafHash : null,
      occurredAt: new Date(Date.UTC(2024, 0, 1 + seq)),
      submitter: { party: 'dealer-1', keyId: 'k1' },
      payload,
      salt,
    });
    tree.append(built.leafHash);
    last.set(subjectId, { leafHash: built.leafHash, subjectSeq: built.envelope.subjectSeq });
    return { seq, entry: built.bytes, payload, salt, subjectId };
  });
  return { tree, events };
}

const { tree, events } = buildLog();
const checkpoint = signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }, [
  logKey.signerKey,
]);

function bundleFor(subjectId: string, redactSeqs: number[] = []): HistoryBundle {
  return assembleHistoryBundle({
    vkey: logKey.verifierKey,
    checkpoint,
    subject: { kind: 'vehicle', id: subjectId },
    events: events
      .filter((e) => e.subjectId === subjectId)
      .map((e) => ({
        seq: e.seq,
        entry: e.entry,
        ...(redactSeqs.includes(e.seq) ? {} : { payload: e.payload, salt: e.salt }),
        proof: tree.inclusionProof(e.seq),
      })),
  });
}

/** Deep copy through JSON, as a bundle travels. */
const copy = (bundle: HistoryBundle): HistoryBundle => JSON.parse(JSON.stringify(bundle)) as HistoryBundle;

function reasons(bundle: unknown, trustedVerifierKey?: string): string[] {
  const result = verifyHistoryBundle(bundle, trustedVerifierKey === undefined ? {} : { trustedVerifierKey });
  expect(result.ok).toBe(false);
  return result.failures.map((f) => f.reason);
}

describe('envelopes', () => {
  it('are canonical JSON with the documented fields', () => {
    const envelope = parseEnvelope(events[2]!.entry);
    expect(Object.keys(envelope).sort()).toEqual([
      'id',
      'occurredAt',
      'payloadHash',
      'prev',
      'subject',
      'subjectSeq',
      'submitter',
      'type',
      'v',
    ]);
    expect(envelope).toMatchObject({
      v: 1,
      type: 'vehicle.inspected',
      subjectSeq: 1,
      occurredAt: '2024-01-03T00:00:00.000Z',
    });
    expect(envelope.payloadHash).toBe(encodeBase64(payloadCommitment(events[2]!.salt, events[2]!.payload)));
    expect(new TextDecoder().decode(events[2]!.entry)).toBe(canonicalize(envelope));
  });

  it('reject malformed input', () => {
    const base = {
      id: 'x',
      type: 't',
      subject: { kind: 'vehicle', id: 'V' },
      subjectSeq: 0,
      prev: null,
      occurredAt: '2024-01-01T00:00:00Z',
      submitter: { party: 'p', keyId: 'k' },
      payload: {},
      salt: new Uint8Array(32),
    };
    expect(() => buildEnvelope(base)).not.toThrow();
    expect(() => buildEnvelope({ ...base, subjectSeq: 1 })).toThrow(/prev/);
    expect(() => buildEnvelope({ ...base, prev: new Uint8Array(32) })).toThrow(/prev must be null/);
    expect(() => buildEnvelope({ ...base, occurredAt: '2024-01-01 00:00' })).toThrow(/ISO 8601/);
    expect(() => buildEnvelope({ ...base, salt: new Uint8Array(8) })).toThrow(/salt/);
    expect(() => parseEnvelope(new TextEncoder().encode('{"v": 1}'))).toThrow(EnvelopeError);
    const spaced = new TextEncoder().encode(
      JSON.stringify(parseEnvelope(buildEnvelope(base).bytes), null, 1),
    );
    expect(() => parseEnvelope(spaced)).toThrow(/canonical/);
  });
});

describe('verifyHistoryBundle', () => {
  it('accepts an intact bundle, with and without the trusted key', () => {
    const bundle = bundleFor('VIN-A', [4]);
    for (const options of [{}, { trustedVerifierKey: logKey.verifierKey }]) {
      const result = verifyHistoryBundle(bundle, options);
      expect(result.failures).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.checks.map((c) => c.name)).toEqual([
        'bundle format',
        'checkpoint signature',
        'inclusion proofs',
        'payload commitments',
        'subject',
        'subject chain',
      ]);
      expect(result.checkpoint).toEqual({ origin: ORIGIN, size: 8, rootHash: encodeBase64(tree.root()) });
      expect(result.subject).toEqual({ kind: 'vehicle', id: 'VIN-A' });
      expect(result.events.map((e) => [e.seq, e.subjectSeq, e.type, e.redacted, e.verified])).toEqual([
        [0, 0, 'vehicle.registered', false, true],
        [2, 1, 'vehicle.inspected', false, true],
        [4, 2, 'buyback.guaranteed', true, true],
        [5, 3, 'vehicle.sold', false, true],
        [7, 4, 'battery.removed', false, true],
      ]);
    }
    expect(verifyHistoryBundle(JSON.stringify(bundleFor('VIN-B'))).ok).toBe(true);
  });

  it('writes a readable report', () => {
    const report = formatVerificationReport(verifyHistoryBundle(bundleFor('VIN-A', [4])));
    expect(report).toContain('History verification: OK');
    expect(report).toContain('✓ checkpoint signature');
    expect(report).toContain('vehicle.sold');
    expect(report).toContain('payload redacted');
    expect(report).toContain('cannot prove');
    const bad = copy(bundleFor('VIN-A'));
    bad.events[3]!.payload = { priceMinor: 1 };
    expect(formatVerificationReport(verifyHistoryBundle(bad))).toMatch(
      /FAILED[\s\S]*✗ payload commitments[\s\S]*event 3 \(seq 5\): payload does not match its commitment/,
    );
  });

  it('detects a changed payload', () => {
    const bundle = copy(bundleFor('VIN-A'));
    (bundle.events[3]!.payload as { priceMinor: number }).priceMinor = 9_999_999;
    expect(reasons(bundle)).toEqual(['event 3 (seq 5): payload does not match its commitment']);
    const result = verifyHistoryBundle(bundle);
    expect(result.events[3]!.verified).toBe(false);
    expect(result.events[2]!.verified).toBe(true);
    expect(result.failures[0]).toMatchObject({ check: 'payload commitments', eventIndex: 3, seq: 5 });
  });

  it('detects a changed salt', () => {
    const bundle = copy(bundleFor('VIN-A'));
    bundle.events[0]!.salt = encodeBase64(new Uint8Array(32));
    expect(reasons(bundle)).toEqual(['event 0 (seq 0): payload does not match its commitment']);
  });

  it('detects a dropped event', () => {
    const bundle = copy(bundleFor('VIN-A'));
    bundle.events.splice(2, 1);
    expect(reasons(bundle)).toEqual(['event 2 (seq 5): subjectSeq 3 follows 1 — an event is missing']);
  });

  it('detects a dropped first event', () => {
    const bundle = copy(bundleFor('VIN-A'));
    bundle.events.shift();
    expect(reasons(bundle)).toEqual([
      "event 0 (seq 2): first event has subjectSeq 1 — the subject's earlier events are missing",
    ]);
  });

  it('detects reordered events', () => {
    const bundle = copy(bundleFor('VIN-A'));
    [bundle.events[1], bundle.events[2]] = [bundle.events[2]!, bundle.events[1]!];
    expect(reasons(bundle)).toEqual([
      'event 1 (seq 4): subjectSeq 2 follows 0 — an event is missing',
      'event 2 (seq 2): seq 2 is not after seq 4 — events are out of order',
      'event 2 (seq 2): subjectSeq 1 follows 2 — events are duplicated or out of order',
      'event 3 (seq 5): subjectSeq 3 follows 1 — an event is missing',
    ]);
  });

  it('detects an altered proof byte', () => {
    const bundle = copy(bundleFor('VIN-A'));
    const hash = decodeBase64(bundle.events[1]!.proof[1]!);
    hash[5] = hash[5]! ^ 1;
    bundle.events[1]!.proof[1] = encodeBase64(hash);
    expect(reasons(bundle)).toEqual([
      'event 1 (seq 2): inclusion proof does not verify against the checkpoint (size 8): inclusion proof for leaf 2 yields a different root',
    ]);
  });

  it('detects a wrong seq and a truncated proof', () => {
    const bundle = copy(bundleFor('VIN-A'));
    bundle.events[1]!.seq = 3;
    bundle.events[4]!.proof.pop();
    const got = reasons(bundle);
    expect(got[0]).toMatch(/^event 1 \(seq 3\): inclusion proof does not verify .* yields a different root/);
    expect(got[1]).toMatch(/^event 4 \(seq 7\): inclusion proof does not verify .* has 2 hashes, expected 3/);
  });

  it('detects a wrong key', () => {
    const bundle = bundleFor('VIN-A');
    const trusted = generateSignerKey(ORIGIN).verifierKey;
    const got = reasons(bundle, trusted);
    expect(got[0]).toMatch(
      /^wrong key: the bundle names key log\.carloop\.example\+[0-9a-f]{8}, not the trusted key log\.carloop\.example\+[0-9a-f]{8}$/,
    );
    expect(got[1]).toMatch(
      /^checkpoint signature does not verify with key log\.carloop\.example\+[0-9a-f]{8}: /,
    );
    const result = verifyHistoryBundle(bundle, { trustedVerifierKey: trusted });
    expect(result.events.every((e) => !e.verified)).toBe(true);
    // The proofs themselves still check out against the (untrusted) checkpoint.
    expect(result.checks.find((c) => c.name === 'inclusion proofs')!.ok).toBe(true);
  });

  it('detects a checkpoint re-signed by another key presented as the bundle key', () => {
    const mallory = generateSignerKey(ORIGIN);
    const bundle = { ...bundleFor('VIN-A'), vkey: mallory.verifierKey };
    bundle.checkpoint = signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }, [
      mallory.signerKey,
    ]);
    expect(verifyHistoryBundle(bundle).ok).toBe(true);
    expect(reasons(bundle, logKey.verifierKey)[0]).toMatch(/^wrong key/);
  });

  it('detects a bad signature', () => {
    const bundle = bundleFor('VIN-A');
    const forgedRoot = encodeBase64(new Uint8Array(32).fill(9));
    bundle.checkpoint = bundle.checkpoint.replace(encodeBase64(tree.root()), forgedRoot);
    const got = reasons(bundle);
    expect(got[0]).toMatch(
      /^checkpoint signature does not verify with key log\.carloop\.example\+[0-9a-f]{8}: signature by .* does not verify/,
    );
    expect(got.slice(1).every((r) => /inclusion proof does not verify/.test(r))).toBe(true);
  });

  it('detects an event of another subject', () => {
    const a = copy(bundleFor('VIN-A'));
    const b = bundleFor('VIN-B');
    a.events[1] = b.events[1]!;
    expect(reasons(a)).toEqual([
      'event 1 (seq 3): entry is about vehicle VIN-B, not the bundle subject vehicle VIN-A',
      'event 1 (seq 3): prev is not the leaf hash of event 0 (subjectSeq 0)',
      'event 2 (seq 4): prev is not the leaf hash of event 1 (subjectSeq 1)',
    ]);
  });

  it('detects a malformed bundle', () => {
    expect(reasons('not json')).toEqual(['bundle is not JSON']);
    expect(reasons({ ...bundleFor('VIN-A'), format: 'carloop-history@2' })).toEqual([
      'format is "carloop-history@2", not "carloop-history@1"',
    ]);
    expect(reasons({ ...bundleFor('VIN-A'), events: [] })).toEqual(['events must be a non-empty list']);
    const bundle = copy(bundleFor('VIN-A'));
    delete bundle.events[2]!.salt;
    bundle.events[3]!.entry = 'AAAA';
    const got = reasons(bundle);
    expect(got).toContain('event 2 (seq 4): payload and salt must be disclosed together');
    expect(got).toContain('event 3 (seq 5): entry is not a valid envelope: entry is not UTF-8 JSON');
    const result = verifyHistoryBundle(bundle);
    expect(result.events[3]!.type).toBeNull();
  });
});
