import { useEffect, useState } from 'react';
import { getJson } from '../api.ts';
import type { CheckpointView, ConsistencyProofView } from '../api-types.ts';
import { formatTime, shortHash } from '../format.ts';
import { checkConsistency, type OpenedLogCheckpoint } from '../log-proofs.ts';
import { loadSeen, recordSeen, type SeenCheckpoint, saveSeen, witnessStep } from '../witness.ts';
import { Card, Empty, Mark, Mono } from './ui.tsx';

/** The checkpoints this browser has seen of this log, each checked against the one before. */
export function CheckpointWitness({ checkpoint }: { checkpoint: OpenedLogCheckpoint }) {
  const [seen, setSeen] = useState<SeenCheckpoint[]>(loadSeen);
  const { origin, size, rootHash } = checkpoint;

  useEffect(() => {
    const controller = new AbortController();
    const latest = { origin, size, rootHash };
    const record = (consistency: SeenCheckpoint['consistency']) => {
      const next = recordSeen(loadSeen(), { ...latest, seenAt: new Date().toISOString(), consistency });
      saveSeen(next);
      setSeen(next);
    };
    const step = witnessStep(loadSeen(), latest);
    if (step.kind === 'first') record(null);
    else if (step.kind === 'inconsistent') record({ ok: false, detail: step.detail });
    else if (step.kind === 'prove') {
      getJson<ConsistencyProofView>('/ledger/proofs/consistency', {
        query: { from: step.from.size, to: size },
        signal: controller.signal,
      })
        .then((proof) => {
          if (controller.signal.aborted) return;
          const result = checkConsistency(proof, step.from, latest);
          record({ ok: result.ok, detail: result.detail });
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted)
            record({ ok: false, detail: `no consistency proof: ${(error as Error).message}` });
        });
    }
    return () => controller.abort();
  }, [origin, size, rootHash]);

  const mine = seen.filter((s) => s.origin === origin);
  return (
    <Card title="最近检查点 Recent checkpoints" testId="recent-checkpoints">
      <p className="hint">
        Checkpoints this browser has seen of <code>{origin}</code>. Each new one is checked in the browser
        against the previous by a consistency proof (RFC 9162 §2.1.4), so a log that rewrote its history would
        show ✗ here.
      </p>
      {mine.length === 0 ? (
        <Empty>None yet.</Empty>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>Tree size 大小</th>
              <th>Root 根哈希</th>
              <th>Seen 首次见到</th>
              <th>Consistency 一致性</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((s) => (
              <tr key={`${s.size}:${s.rootHash}:${s.seenAt}`}>
                <td className="num">{s.size.toLocaleString('en')}</td>
                <td>
                  <Mono title={s.rootHash}>{shortHash(s.rootHash, 16)}</Mono>
                </td>
                <td>{formatTime(s.seenAt)}</td>
                <td>
                  {s.consistency ? (
                    <>
                      <Mark ok={s.consistency.ok} /> {s.consistency.detail}
                    </>
                  ) : (
                    <span className="muted">first seen 首次</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** Size, root and key of a checkpoint whose signature was checked in the browser. */
export function CheckpointFacts({
  view,
  opened,
  signature,
}: {
  view: CheckpointView;
  opened: OpenedLogCheckpoint | undefined;
  signature: { ok: boolean; detail: string };
}) {
  return (
    <dl className="fields">
      <div className="field">
        <dt>Origin 日志标识</dt>
        <dd>
          <Mono>{view.origin}</Mono>
        </dd>
      </div>
      <div className="field">
        <dt>Tree size 条目数</dt>
        <dd className="big-number" data-testid="log-size">
          {view.size.toLocaleString('en')}
        </dd>
      </div>
      <div className="field">
        <dt>Root hash 根哈希</dt>
        <dd>
          <Mono>{view.rootHash}</Mono>
        </dd>
      </div>
      <div className="field">
        <dt>Signature 签名</dt>
        <dd data-testid="checkpoint-signature">
          <Mark ok={signature.ok} /> {signature.ok ? 'verified in your browser 已在浏览器中验证' : 'INVALID'}{' '}
          — {signature.detail}
          {opened &&
            (opened.size !== view.size || opened.rootHash !== view.rootHash) &&
            ' — but the signed tree is not the one reported!'}
        </dd>
      </div>
    </dl>
  );
}
