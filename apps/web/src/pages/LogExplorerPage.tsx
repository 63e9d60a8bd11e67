import { type FormEvent, useMemo, useState } from 'react';
import { getJson, useApi } from '../api.ts';
import type { CheckpointView, InclusionProofView } from '../api-types.ts';
import { CheckpointFacts, CheckpointWitness } from '../components/Checkpoints.tsx';
import { Card, CopyButton, Loading, Mark, Mono, ProblemView } from '../components/ui.tsx';
import { eventTypeLabel, formatTime, kindLabel } from '../format.ts';
import { checkInclusion, type OpenedLogCheckpoint, openLogCheckpoint } from '../log-proofs.ts';
import { Link, navigate } from '../router.tsx';

export function LogExplorerPage({ query }: { query: URLSearchParams }) {
  const checkpoint = useApi('checkpoint', (signal) =>
    getJson<CheckpointView>('/ledger/checkpoint', { signal }),
  );
  const opened = useMemo(
    () => (checkpoint.data ? openLogCheckpoint(checkpoint.data.note, checkpoint.data.vkey) : null),
    [checkpoint.data],
  );
  const seqParam = query.get('seq')?.trim() || null;

  return (
    <>
      <h1 className="page-title">
        日志 <span className="en">Log explorer</span>
      </h1>
      <p className="lead">
        Every fact in Carloop is an entry in one append-only Merkle log (RFC 6962). The log signs a checkpoint
        — its size and root hash — after every append. Anyone can check that an entry is in the log with an
        inclusion proof; this page checks it in your browser.
      </p>
      {checkpoint.loading && <Loading />}
      {checkpoint.error !== undefined && <ProblemView error={checkpoint.error} onRetry={checkpoint.reload} />}
      {checkpoint.data && opened && (
        <>
          <div className="grid-2">
            <Card
              title="检查点 Checkpoint"
              testId="checkpoint"
              actions={
                <button type="button" className="button small ghost" onClick={checkpoint.reload}>
                  刷新 Refresh
                </button>
              }
            >
              <CheckpointFacts view={checkpoint.data} opened={opened.checkpoint} signature={opened.step} />
            </Card>
            <Card title="签名记录 Signed note (C2SP)">
              <pre className="note" data-testid="checkpoint-note">
                {checkpoint.data.note}
              </pre>
              <h3 className="subhead">验证公钥 Verifier key</h3>
              <div className="key-line">
                <Mono>{checkpoint.data.vkey}</Mono>
                <CopyButton text={checkpoint.data.vkey} />
              </div>
              <p className="hint">
                Give this key to whoever verifies history files; also served as text at{' '}
                <a href="/log/checkpoint">/log/checkpoint</a> with tiles under <code>/log/tile/</code>.
              </p>
            </Card>
          </div>
          {opened.checkpoint ? (
            <InclusionLookup key={seqParam ?? ''} checkpoint={opened.checkpoint} initialSeq={seqParam} />
          ) : (
            <ProblemView
              error={new Error(`the checkpoint signature does not verify: ${opened.step.detail}`)}
            />
          )}
          {opened.checkpoint && <CheckpointWitness checkpoint={opened.checkpoint} />}
        </>
      )}
    </>
  );
}

function InclusionLookup({
  checkpoint,
  initialSeq,
}: {
  checkpoint: OpenedLogCheckpoint;
  initialSeq: string | null;
}) {
  const [draft, setDraft] = useState(initialSeq ?? '');
  const seq = initialSeq !== null && /^\d+$/.test(initialSeq) ? Number(initialSeq) : null;
  const proof = useApi(seq === null ? null : `inclusion:${seq}@${checkpoint.size}`, (signal) =>
    getJson<InclusionProofView>('/ledger/proofs/inclusion', {
      query: { seq, size: checkpoint.size },
      signal,
    }),
  );
  const check = proof.data ? checkInclusion(proof.data, checkpoint) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/log?seq=${encodeURIComponent(draft.trim())}`);
  };
  return (
    <Card title="包含证明 Inclusion proof" testId="inclusion">
      <form className="inline-form" onSubmit={submit}>
        <label className="label" htmlFor="seq">
          条目序号 Entry seq (0–{Math.max(checkpoint.size - 1, 0)})
        </label>
        <input
          id="seq"
          name="seq"
          className="input"
          inputMode="numeric"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="0"
        />
        <button type="submit" className="button" disabled={!draft.trim()}>
          证明 Prove
        </button>
      </form>
      {initialSeq !== null && seq === null && (
        <ProblemView
          error={new Error(`"${initialSeq}" is not an entry number: use a whole number from 0 upward`)}
        />
      )}
      {proof.loading && <Loading />}
      {proof.error !== undefined && <ProblemView error={proof.error} />}
      {proof.data && check && (
        <>
          <div
            className={`verdict small ${check.ok ? 'ok' : 'bad'}`}
            data-testid="inclusion-verdict"
            data-ok={check.ok}
          >
            <Mark ok={check.ok} />{' '}
            {check.ok
              ? `Entry ${proof.data.leafIndex} is in the log at tree size ${checkpoint.size} — verified in your browser 已验证`
              : `The proof for entry ${proof.data.leafIndex} does NOT verify 验证失败`}
          </div>
          <ul className="checks">
            {check.steps.map((step) => (
              <li key={step.name} data-testid="proof-step" data-ok={step.ok}>
                <Mark ok={step.ok} />
                <div>
                  <div className="check-name">{step.name}</div>
                  <div className="check-detail">{step.detail}</div>
                </div>
              </li>
            ))}
          </ul>
          {check.envelope && (
            <>
              <h3 className="subhead">条目 Entry</h3>
              <dl className="fields">
                <div className="field">
                  <dt>Event 事件</dt>
                  <dd>
                    <strong>{eventTypeLabel(check.envelope.type)}</strong> <code>{check.envelope.type}</code>
                  </dd>
                </div>
                <div className="field">
                  <dt>Subject 主体</dt>
                  <dd>
                    {kindLabel(check.envelope.subject.kind)}{' '}
                    <Link to={`/assets/${encodeURIComponent(check.envelope.subject.id)}`}>
                      <Mono>{check.envelope.subject.id}</Mono>
                    </Link>{' '}
                    <span className="muted">event #{check.envelope.subjectSeq}</span>
                  </dd>
                </div>
                <div className="field">
                  <dt>Occurred 发生时间</dt>
                  <dd>{formatTime(check.envelope.occurredAt)}</dd>
                </div>
                <div className="field">
                  <dt>Submitter 提交方</dt>
                  <dd>
                    <Mono>{check.envelope.submitter.party}</Mono>{' '}
                    <Mono>{check.envelope.submitter.keyId}</Mono>
                  </dd>
                </div>
                <div className="field">
                  <dt>Payload commitment 内容承诺</dt>
                  <dd>
                    <Mono>{check.envelope.payloadHash}</Mono>
                  </dd>
                </div>
                <div className="field">
                  <dt>Previous leaf 前一事件</dt>
                  <dd>
                    {check.envelope.prev ? (
                      <Mono>{check.envelope.prev}</Mono>
                    ) : (
                      <span className="muted">none (first event)</span>
                    )}
                  </dd>
                </div>
              </dl>
              <h3 className="subhead">证明路径 Proof path ({proof.data.proof.length} hashes)</h3>
              <ol className="hash-list">
                {proof.data.proof.map((hash, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a proof path is ordered; equal hashes may repeat
                  <li key={i}>
                    <Mono>{hash}</Mono>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </Card>
  );
}
