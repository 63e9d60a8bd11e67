import {
  decodeBase64,
  openCheckpoint,
  verifyConsistency,
  verifyHistoryBundle,
  verifyInclusion,
} from '@carloop/ledger';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { getAsset, registerAssets } from '../src/modules/assets/index.ts';
import {
  appendEvents,
  auditLog,
  currentCheckpoint,
  erasePayload,
  exportHistory,
  proveConsistency,
  proveInclusion,
  signBatch,
  subjectHistory,
  submitterOfSignedBatch,
  verifyLogAtStartup,
} from '../src/modules/ledger/index.ts';
import { exampleIds } from '../src/modules/lifecycle/index.ts';
import { addPartyKey, authenticate, createParty, localOperator } from '../src/modules/parties/index.ts';
import { countRows, describeEachDatabase } from './support/databases.ts';
import { exampleAssets, linesOf, vehicleLife } from './support/ledger-fixtures.ts';

const logTables = ['log_entries', 'log_hashes', 'log_checkpoints', 'event_payloads', 'subject_heads'];
const operator = { principal: localOperator, keyId: 'local' };

describeEachDatabase('ledger service', (ctx) => {
  it('appends a batch in one transaction: entries, projections and a signed checkpoint', async () => {
    await registerAssets(ctx.db, localOperator, exampleAssets);
    const empty = await currentCheckpoint(ctx.db);
    expect(empty.size).toBe(0);
    const result = await appendEvents(ctx.db, operator, linesOf(vehicleLife, 0, 5));
    expect(result).toMatchObject({ appended: 5, firstSeq: 0, lastSeq: 4, checkpoint: { size: 5 } });
    const opened = openCheckpoint(result.checkpoint.note, result.checkpoint.vkey);
    expect(opened.size).toBe(5);
    expect(Buffer.from(opened.rootHash).toString('base64')).toBe(result.checkpoint.rootHash);
    const vehicle = await getAsset(ctx.db, localOperator, exampleIds.vin);
    expect(vehicle.state).toBe('in_use');
    expect(vehicle.children.map((c) => c.id)).toEqual([exampleIds.pack]);
  });

  it('rejects a whole batch for one illegal event, naming the line, and writes nothing', async () => {
    const before = await countRows(ctx.db, logTables);
    const lines = linesOf(vehicleLife, 5, 7);
    lines.push({ ...linesOf(vehicleLife, 19, 20)[0]! }); // dismantled while in use
    const error = await appendEvents(ctx.db, operator, lines).catch((e) => e);
    expect(error).toMatchObject({ code: 'illegal_transition' });
    expect(error.errors[0]).toMatchObject({ line: 3, field: 'type' });
    expect(error.message).toMatch(/line 3/);
    const badPayload = await appendEvents(ctx.db, operator, [
      { ...lines[0]!, payload: { odometerKm: 'far' } },
    ]).catch((e) => e);
    expect(badPayload.errors[0]).toMatchObject({ line: 1, field: expect.stringMatching(/^payload\./) });
    const unknown = await appendEvents(ctx.db, operator, [
      { ...lines[0]!, subject: { kind: 'vehicle', id: 'LSJW74U33NZ999999' } },
    ]).catch((e) => e);
    expect(unknown.errors[0]).toMatchObject({ line: 1, field: 'subject.id' });
    expect(await countRows(ctx.db, logTables)).toEqual(before);
  });

  it('accepts a lower odometer reading but flags a suspected rollback in the history', async () => {
    const [read] = linesOf(vehicleLife, 4, 5);
    const reading = (read!.payload as { odometerKm: number }).odometerKm;
    await appendEvents(ctx.db, operator, [
      {
        ...read!,
        occurredAt: '2026-02-01T00:00:00Z',
        payload: { ...read!.payload, odometerKm: reading - 5000 },
      },
    ]);
    const history = await subjectHistory(ctx.db, localOperator, exampleIds.vin);
    expect(history.flags).toEqual([expect.objectContaining({ code: 'odometer_rollback_suspected' })]);
    expect(history.events.at(-1)!.flags[0]!.code).toBe('odometer_rollback_suspected');
  });

  it('proves inclusion of every event and consistency between checkpoints', async () => {
    const second = await appendEvents(ctx.db, operator, linesOf(vehicleLife, 5, 9));
    const root = decodeBase64(second.checkpoint.rootHash);
    for (let seq = 0; seq < second.checkpoint.size; seq++) {
      const p = await proveInclusion(ctx.db, seq);
      verifyInclusion(seq, p.treeSize, decodeBase64(p.leafHash), p.proof.map(decodeBase64), root);
      expect(p.checkpoint).toBe(second.checkpoint.note);
    }
    const old = await proveInclusion(ctx.db, 2, 5);
    expect(old.treeSize).toBe(5);
    const c = await proveConsistency(ctx.db, 5, second.checkpoint.size);
    verifyConsistency(5, c.size2, c.proof.map(decodeBase64), decodeBase64(c.root1), root);
    await expect(proveInclusion(ctx.db, 999)).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'seq' })],
    });
  });

  it('exports a history bundle that verifies offline, also after a payload is erased', async () => {
    const bundle = await exportHistory(ctx.db, localOperator, exampleIds.vin);
    expect(bundle.format).toBe('carloop-history@1');
    expect(verifyHistoryBundle(bundle).ok).toBe(true);
    const target = (await subjectHistory(ctx.db, localOperator, exampleIds.vin)).events[3]!;
    await erasePayload(ctx.db, localOperator, target.id, 'owner asked');
    await expect(erasePayload(ctx.db, localOperator, target.id)).rejects.toMatchObject({
      code: 'already_erased',
    });
    const after = await exportHistory(ctx.db, localOperator, exampleIds.vin);
    expect(after.events[3]!.payload).toBeUndefined();
    const verified = verifyHistoryBundle(after);
    expect(verified.ok).toBe(true);
    expect(verified.events[3]!.redacted).toBe(true);
    expect((await subjectHistory(ctx.db, localOperator, exampleIds.vin)).events[3]!.payloadStatus).toBe(
      'redacted',
    );
    const tampered = structuredClone(after);
    (tampered.events[1]!.payload as Record<string, unknown>).boundAt = '2020-01-01T00:00:00Z';
    expect(verifyHistoryBundle(tampered).ok).toBe(false);
  });

  it('withholds payloads from parties that did not submit them', async () => {
    const dealer = await createParty(ctx.db, localOperator, { name: 'Dealer D', roles: ['dealer'] });
    const principal = await authenticate(ctx.db, dealer.token);
    const history = await subjectHistory(ctx.db, principal, exampleIds.vin);
    expect(history.events.every((e) => e.payloadStatus !== 'disclosed')).toBe(true);
  });

  it('accepts a batch signed with a registered Ed25519 key and refuses a bad signature', async () => {
    const secret = new Uint8Array(32).fill(7);
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    const party = await createParty(ctx.db, localOperator, { name: 'OEM Signer', roles: ['oem'] });
    await addPartyKey(
      ctx.db,
      localOperator,
      party.id,
      Buffer.from(ed25519.getPublicKey(secret)).toString('base64'),
    );
    const batch = signBatch(linesOf(vehicleLife, 9, 10), party.id, secret);
    const { submitter, events } = await submitterOfSignedBatch(ctx.db, batch);
    expect(submitter.principal.partyId).toBe(party.id);
    const appended = await appendEvents(ctx.db, submitter, events);
    expect(appended.appended).toBe(1);
    const forged = { ...batch, events: linesOf(vehicleLife, 10, 11) };
    await expect(submitterOfSignedBatch(ctx.db, forged)).rejects.toMatchObject({ code: 'bad_signature' });
  });

  it('is append-only in the database itself', async () => {
    await expect(sql`UPDATE log_entries SET type = 'x' WHERE seq = 0`.execute(ctx.db.kysely)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM log_checkpoints`.execute(ctx.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM log_hashes WHERE idx = 0`.execute(ctx.db.kysely)).rejects.toThrow(
      /append-only/,
    );
  });

  it('audits the whole tree, and finds the first altered row once someone bypasses the triggers', async () => {
    const clean = await auditLog(ctx.db);
    expect(clean).toMatchObject({ ok: true, firstDivergentEntry: null });
    expect(clean.checkpointsChecked).toBeGreaterThanOrEqual(4);
    await verifyLogAtStartup(ctx.db);
    if (ctx.db.dialect === 'sqlite') await sql`DROP TRIGGER log_entries_no_update`.execute(ctx.db.kysely);
    else await sql`ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only`.execute(ctx.db.kysely);
    await sql`UPDATE log_entries SET entry = replace(entry, 'vehicle.sold', 'vehicle.sald') WHERE seq = 2`.execute(
      ctx.db.kysely,
    );
    const report = await auditLog(ctx.db);
    expect(report.ok).toBe(false);
    expect(report.firstDivergentEntry).toMatchObject({ seq: 2 });
    await sql`UPDATE log_entries SET leaf_hash = ${Buffer.alloc(32)} WHERE seq = 3`.execute(ctx.db.kysely);
    await expect(verifyLogAtStartup(ctx.db)).rejects.toMatchObject({ code: 'log_integrity' });
  });
});
