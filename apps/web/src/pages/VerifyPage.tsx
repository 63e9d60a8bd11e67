import {
  formatVerificationReport,
  HISTORY_BUNDLE_FORMAT,
  type HistoryVerification,
  verifyHistoryBundle,
} from '@carloop/ledger';
import { type DragEvent, useEffect, useMemo, useState } from 'react';
import { getJson } from '../api.ts';
import type { CheckpointView } from '../api-types.ts';
import { Card, Mark, Mono, ProblemView, ValueView } from '../components/ui.tsx';
import { checkLabel, eventTypeLabel, flagLabel, formatTime, kindLabel, odometerReadings } from '../format.ts';
import { Link } from '../router.tsx';

const pendingKey = 'carloop.pendingBundle';

interface BundleFile {
  name: string;
  text: string;
}

/** Hands a bundle to the verify page (from an asset page's "Verify in browser"). */
export function stashBundle(name: string, text: string): void {
  try {
    sessionStorage.setItem(pendingKey, JSON.stringify({ name, text }));
  } catch {
    // Too large for session storage: the user can still download the bundle and drop it here.
  }
}

function readStashedBundle(): BundleFile | null {
  try {
    const raw = sessionStorage.getItem(pendingKey);
    const parsed = raw ? (JSON.parse(raw) as BundleFile) : null;
    return parsed && typeof parsed.name === 'string' && typeof parsed.text === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** `subject`: verify the public history of this VIN / code / part id, fetched from this server (a QR link). */
export function VerifyPage({ subject }: { subject?: string | null } = {}) {
  const [file, setFile] = useState<BundleFile | null>(readStashedBundle);
  // Taken once: a reload of the page starts empty.
  useEffect(() => sessionStorage.removeItem(pendingKey), []);
  const [fetchError, setFetchError] = useState<string>();
  useEffect(() => {
    if (!subject) return;
    setFetchError(undefined);
    fetch(`/public/subjects/${encodeURIComponent(subject)}/bundle`)
      .then(async (response) => {
        const text = await response.text();
        if (!response.ok)
          throw new Error(`${response.status}: ${(JSON.parse(text) as { detail?: string }).detail ?? text}`);
        setFile({ name: `public history of ${subject}`, text });
      })
      .catch((error: Error) =>
        setFetchError(`could not fetch the public history of ${subject} — ${error.message}`),
      );
  }, [subject]);
  const [trustedKey, setTrustedKey] = useState('');
  const [dragging, setDragging] = useState(false);
  const [readError, setReadError] = useState<string>();
  const [keyError, setKeyError] = useState<unknown>();

  const result = useMemo(() => {
    if (!file) return null;
    const key = trustedKey.trim();
    return verifyHistoryBundle(file.text, key ? { trustedVerifierKey: key } : {});
  }, [file, trustedKey]);

  const open = async (picked: File | undefined) => {
    if (!picked) return;
    setReadError(undefined);
    try {
      setFile({ name: picked.name, text: await picked.text() });
    } catch (error) {
      setReadError(`could not read ${picked.name}: ${(error as Error).message}`);
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void open(event.dataTransfer.files[0]);
  };
  const fetchServerKey = async () => {
    setKeyError(undefined);
    try {
      setTrustedKey((await getJson<CheckpointView>('/ledger/checkpoint')).vkey);
    } catch (error) {
      setKeyError(error);
    }
  };

  return (
    <>
      <h1 className="page-title">
        验证车辆履历 <span className="en">Verify a vehicle history</span>
      </h1>
      <p className="lead">
        Buying a used car or battery? Ask the seller for its Carloop history file (
        <code>{HISTORY_BUNDLE_FORMAT}</code>) and drop it here. It is checked{' '}
        <strong>entirely in your browser</strong> — nothing is uploaded: the log's signature on the
        checkpoint, a Merkle inclusion proof for every event, every disclosed payload against its commitment,
        and the unbroken chain of the vehicle's events from the first.
      </p>
      <div className="grid-2 verify-inputs">
        <label
          className={`dropzone ${dragging ? 'dragging' : ''}`}
          htmlFor="bundle-file"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="dropzone"
        >
          <span className="dropzone-icon" aria-hidden="true">
            ⤒
          </span>
          <strong>拖入履历文件 Drop a history file here</strong>
          <span className="muted">或点击选择 or click to choose a .json file</span>
          {file && (
            <span className="dropzone-file">
              <Mono>{file.name}</Mono>
            </span>
          )}
          <input
            id="bundle-file"
            type="file"
            accept=".json,application/json"
            className="visually-hidden"
            onChange={(e) => {
              void open(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <Card title="可信公钥 Trusted verifier key (optional)">
          <input
            className="input mono"
            name="trusted-key"
            aria-label="trusted verifier key"
            placeholder="carloop.example/log+1a2b3c4d+AbCd…"
            spellCheck={false}
            value={trustedKey}
            onChange={(e) => setTrustedKey(e.target.value)}
          />
          <p className="hint">
            Without a trusted key the file is only checked against the key it names itself. Paste the log's
            key from a source you trust to be sure the file comes from that log.
          </p>
          <button type="button" className="button small ghost" onClick={fetchServerKey}>
            使用本站公钥 Use this server's key
          </button>
          {keyError !== undefined && <ProblemView error={keyError} />}
        </Card>
      </div>
      {readError && <p className="error-text">{readError}</p>}
      {fetchError && <p className="error-text">{fetchError}</p>}
      {result && <VerificationResult result={result} trusted={Boolean(trustedKey.trim())} />}
    </>
  );
}

function VerificationResult({ result, trusted }: { result: HistoryVerification; trusted: boolean }) {
  const broken = result.checks.filter((c) => !c.ok).map((c) => c.name);
  const report = formatVerificationReport(result);
  const downloadReport = () => {
    const url = URL.createObjectURL(new Blob([report], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'carloop-verification-report.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <>
      <div className={`verdict ${result.ok ? 'ok' : 'bad'}`} data-testid="verdict" data-ok={result.ok}>
        <div className="verdict-mark" aria-hidden="true">
          {result.ok ? '✓' : '✗'}
        </div>
        <div>
          <div className="verdict-title">
            {result.ok ? '验证通过 History verification: OK' : '验证失败 History verification: FAILED'}
          </div>
          <div className="verdict-detail">
            {result.subject && (
              <>
                {kindLabel(result.subject.kind)} <Mono>{result.subject.id}</Mono> · {result.events.length}{' '}
                events
              </>
            )}
            {!result.ok && <> · broken: {broken.join(', ')}</>}
            {result.ok && !trusted && <> · checked against the key the file names (no trusted key given)</>}
          </div>
        </div>
      </div>
      <div className="grid-2">
        <Card title="检查项 Checks" testId="checks">
          <ul className="checks">
            {result.checks.map((check) => (
              <li key={check.name} data-testid="check" data-name={check.name} data-ok={check.ok}>
                <Mark ok={check.ok} />
                <div>
                  <div className="check-name">{checkLabel(check.name)}</div>
                  <div className="check-detail">{check.detail}</div>
                </div>
              </li>
            ))}
          </ul>
          {result.failures.length > 0 && (
            <>
              <h3 className="subhead">问题 Failures</h3>
              <ul className="failures" data-testid="failures">
                {result.failures.map((failure, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: failures are a fixed list from one verification
                  <li key={i}>
                    <strong>{failure.check}</strong>: {failure.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card title="检查点 Checkpoint">
          {result.checkpoint ? (
            <dl className="fields">
              <div className="field">
                <dt>Log 日志</dt>
                <dd>
                  <Mono>{result.checkpoint.origin}</Mono>
                </dd>
              </div>
              <div className="field">
                <dt>Tree size 条目数</dt>
                <dd>{result.checkpoint.size.toLocaleString('en')}</dd>
              </div>
              <div className="field">
                <dt>Root hash 根哈希</dt>
                <dd>
                  <Mono>{result.checkpoint.rootHash}</Mono>
                </dd>
              </div>
            </dl>
          ) : (
            <p className="muted">No readable checkpoint.</p>
          )}
          <p className="hint">
            A valid file proves these events are in the log and unbroken from the first; it cannot prove that
            no later event exists. Compare with the <Link to="/log">public log</Link>.
          </p>
        </Card>
      </div>
      <OdometerCard result={result} />
      <Card title="事件 Events" testId="verified-events">
        <table className="table">
          <thead>
            <tr>
              <th>#</th>
              <th>Log seq</th>
              <th>Time 时间</th>
              <th>Event 事件</th>
              <th>Payload 内容</th>
              <th>Verified 已验证</th>
            </tr>
          </thead>
          <tbody>
            {result.events.map((event, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a malformed event may lack an id; its position names it
              <tr key={i} className={event.verified ? '' : 'row-bad'} data-testid="verified-event">
                <td className="num">{event.subjectSeq ?? '?'}</td>
                <td className="num">{event.seq ?? '?'}</td>
                <td className="nowrap">{formatTime(event.occurredAt)}</td>
                <td>
                  <strong>{event.type ? eventTypeLabel(event.type) : '?'}</strong>
                  <div className="hint mono">{event.type}</div>
                </td>
                <td>
                  {event.redacted ? (
                    <span className="muted">redacted 已删除</span>
                  ) : (
                    <details>
                      <summary>disclosed 已披露</summary>
                      <ValueView value={event.payload} />
                    </details>
                  )}
                </td>
                <td>
                  <Mark ok={event.verified} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card
        title="文本报告 Text report"
        actions={
          <button type="button" className="button small ghost" onClick={downloadReport}>
            下载 Download
          </button>
        }
      >
        <pre className="report" data-testid="report">
          {report}
        </pre>
      </Card>
    </>
  );
}

/** What a buyer looks for first: whether the mileage ever went down. */
function OdometerCard({ result }: { result: HistoryVerification }) {
  const readings = odometerReadings(result.events);
  if (readings.length === 0) return null;
  const drops = readings.filter((r) => r.fellFromKm !== undefined);
  return (
    <Card title="里程记录 Odometer readings" testId="odometer">
      {drops.length > 0 ? (
        <div className="alert danger" role="alert" data-testid="odometer-warning">
          <div className="alert-icon" aria-hidden="true">
            ⚠
          </div>
          <div>
            <strong>{flagLabel('odometer_rollback_suspected')}</strong>
            <ul>
              {drops.map((r) => (
                <li key={`${r.subjectSeq}`}>
                  odometer fell from {r.fellFromKm?.toLocaleString('en')} km to {r.km.toLocaleString('en')} km
                  (event #{r.subjectSeq ?? '?'}, {formatTime(r.occurredAt)})
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : (
        <p className="muted">
          <Mark ok /> Readings never go down 里程未见回调.
        </p>
      )}
      <table className="table compact">
        <thead>
          <tr>
            <th>#</th>
            <th>Time 时间</th>
            <th>Event 事件</th>
            <th className="num">Odometer 里程 (km)</th>
          </tr>
        </thead>
        <tbody>
          {readings.map((r) => (
            <tr key={`${r.subjectSeq}`} className={r.fellFromKm === undefined ? '' : 'row-bad'}>
              <td className="num">{r.subjectSeq ?? '?'}</td>
              <td className="nowrap">{formatTime(r.occurredAt)}</td>
              <td>{eventTypeLabel(r.type)}</td>
              <td className="num">{r.km.toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        From the events disclosed in this file. A reading below an earlier one is a fact as reported, not
        proof of fraud: ask the seller why.
      </p>
    </Card>
  );
}
