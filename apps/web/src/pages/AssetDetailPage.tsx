import { useState } from 'react';
import { getJson, getText, segment, useApi } from '../api.ts';
import type {
  AssetDetail,
  ContentsNode,
  ContentsView,
  Flag,
  HistoryEvent,
  LocationView,
  SubjectHistory,
} from '../api-types.ts';
import {
  Card,
  Empty,
  FieldTable,
  KindBadge,
  Loading,
  Mono,
  ProblemView,
  StateBadge,
  ValueView,
} from '../components/ui.tsx';
import {
  assetSummary,
  bundleFileName,
  eventTypeLabel,
  flagLabel,
  formatTime,
  kindLabel,
  pickerValueFromDate,
  utcFromPickerValue,
  withMoneyShown,
} from '../format.ts';
import { ApiError, problemOf } from '../problem.ts';
import { Link, navigate } from '../router.tsx';
import { tokenKeyId } from '../session.ts';
import { stashBundle } from './VerifyPage.tsx';

/** The subject's history, or null when it has no events yet (404 subject_not_found). */
async function loadHistory(token: string, id: string, signal: AbortSignal): Promise<SubjectHistory | null> {
  try {
    return await getJson<SubjectHistory>(`/subjects/${segment(id)}/history`, { token, signal });
  } catch (error) {
    if (error instanceof ApiError && error.problem.code === 'subject_not_found') return null;
    throw error;
  }
}

export function AssetDetailPage({ token, id }: { token: string; id: string }) {
  const asset = useApi(`asset:${id}`, (signal) =>
    getJson<AssetDetail>(`/assets/${segment(id)}`, { token, signal }),
  );
  const history = useApi(`history:${id}`, (signal) => loadHistory(token, id, signal));
  const hasHistory = Boolean(history.data?.events.length);

  return (
    <>
      <nav className="breadcrumb" aria-label="breadcrumb">
        <Link to="/assets">资产 Assets</Link>
        {asset.data && (
          <>
            {' / '}
            <Link to={`/assets?kind=${asset.data.kind}`}>{kindLabel(asset.data.kind)}</Link>
          </>
        )}
      </nav>
      <div className="asset-head">
        <div>
          <h1 className="page-title mono-title">{id}</h1>
          {asset.data && (
            <div className="asset-meta">
              <KindBadge kind={asset.data.kind} />
              <StateBadge state={asset.data.state} />
              <span className="muted">{assetSummary(asset.data)}</span>
            </div>
          )}
        </div>
        <BundleActions token={token} id={id} enabled={hasHistory} />
      </div>
      {asset.error !== undefined && <ProblemView error={asset.error} onRetry={asset.reload} />}
      {history.data && history.data.flags.length > 0 && (
        <FlagsAlert flags={history.data.flags} events={history.data.events} />
      )}
      <div className="grid-2">
        <Card title="资料 Data" testId="asset-data">
          {asset.loading && <Loading />}
          {asset.data && (
            <FieldTable
              record={withMoneyShown(asset.data)}
              omit={['id', 'kind', 'state', 'parent', 'children']}
            />
          )}
        </Card>
        <Composition token={token} id={id} />
      </div>
      <Card title="履历 Lifecycle history" testId="history">
        {history.loading && <Loading />}
        {history.error !== undefined && <ProblemView error={history.error} onRetry={history.reload} />}
        {history.data === null && (
          <Empty>
            暂无履历事件 No lifecycle events for this asset yet. Its first must be its creation event.
          </Empty>
        )}
        {history.data && <Timeline events={history.data.events} myKey={tokenKeyId(token)} />}
      </Card>
    </>
  );
}

function BundleActions({ token, id, enabled }: { token: string; id: string; enabled: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const withBundle = async (use: (text: string) => void) => {
    setBusy(true);
    setError(undefined);
    try {
      use(await getText(`/subjects/${segment(id)}/bundle`, { token }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const download = () =>
    withBundle((text) => {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = bundleFileName(id);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  const verify = () =>
    withBundle((text) => {
      stashBundle(bundleFileName(id), text);
      navigate('/verify');
    });
  return (
    <div className="head-actions">
      <div className="button-row">
        <button type="button" className="button" onClick={download} disabled={!enabled || busy}>
          ⤓ 下载履历包 Download history bundle
        </button>
        <button type="button" className="button ghost" onClick={verify} disabled={!enabled || busy}>
          在浏览器中验证 Verify in browser
        </button>
      </div>
      {error !== undefined && (
        <p className="error-text">{problemOf(error).detail ?? problemOf(error).title}</p>
      )}
    </div>
  );
}

function FlagsAlert({ flags, events }: { flags: Flag[]; events: HistoryEvent[] }) {
  return (
    <div className="alert danger" role="alert" data-testid="flags">
      <div className="alert-icon" aria-hidden="true">
        ⚠
      </div>
      <div>
        <strong>
          {flags.length === 1 ? '1 warning 项警示' : `${flags.length} warnings 项警示`} in this history
        </strong>
        <ul>
          {flags.map((flag) => {
            const event = events.find((e) => e.id === flag.eventId);
            return (
              <li key={`${flag.eventId}:${flag.code}`}>
                <strong>{flagLabel(flag.code)}</strong> — {flag.message}
                {event && (
                  <span className="muted">
                    {' '}
                    (event #{event.subjectSeq}, {formatTime(event.occurredAt)})
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

function Composition({ token, id }: { token: string; id: string }) {
  const [picker, setPicker] = useState('');
  const at = picker ? utcFromPickerValue(picker) : null;
  const key = `${id}@${at ?? 'now'}`;
  const view = useApi(key, async (signal) => {
    const query = { at };
    const [contents, location] = await Promise.all([
      getJson<ContentsView>(`/assets/${segment(id)}/contents`, { token, query, signal }),
      getJson<LocationView>(`/assets/${segment(id)}/location`, { token, query, signal }),
    ]);
    return { contents, location };
  });
  return (
    <Card title="组成 Composition" testId="composition">
      <div className="at-picker">
        <label className="label" htmlFor="at">
          时间 At time (UTC)
        </label>
        <input
          id="at"
          type="datetime-local"
          className="input"
          value={picker}
          onChange={(e) => setPicker(e.target.value)}
        />
        <button
          type="button"
          className="button small ghost"
          onClick={() => setPicker(pickerValueFromDate(new Date()))}
        >
          现在 Now
        </button>
        {picker && (
          <button type="button" className="button small ghost" onClick={() => setPicker('')}>
            清除 Clear
          </button>
        )}
      </div>
      {view.loading && <Loading />}
      {view.error !== undefined && <ProblemView error={view.error} />}
      {view.data && (
        <>
          <p className="hint">As of {formatTime(view.data.contents.at)}</p>
          <h3 className="subhead">所在 Within</h3>
          {view.data.location.within.length === 0 ? (
            <p className="muted">Not inside anything 未装配于其他资产.</p>
          ) : (
            <ol className="chain">
              {view.data.location.within.map((c) => (
                <li key={c.id}>
                  <Link to={`/assets/${encodeURIComponent(c.id)}`}>
                    <Mono>{c.id}</Mono>
                  </Link>{' '}
                  <KindBadge kind={c.kind} />{' '}
                  <span className="muted">
                    since {formatTime(c.since)}
                    {c.until ? ` until ${formatTime(c.until)}` : ''}
                  </span>
                </li>
              ))}
            </ol>
          )}
          <h3 className="subhead">包含 Contains</h3>
          {view.data.contents.children.length === 0 ? (
            <p className="muted">Contains nothing 无组件.</p>
          ) : (
            <ContentsTree nodes={view.data.contents.children} />
          )}
        </>
      )}
    </Card>
  );
}

function ContentsTree({ nodes }: { nodes: ContentsNode[] }) {
  return (
    <ul className="tree">
      {nodes.map((node) => (
        <li key={node.id}>
          <Link to={`/assets/${encodeURIComponent(node.id)}`}>
            <Mono>{node.id}</Mono>
          </Link>{' '}
          {node.kind && <KindBadge kind={node.kind} />}{' '}
          {node.since && <span className="muted">since {formatTime(node.since)}</span>}
          {node.children.length > 0 && <ContentsTree nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}

function Timeline({ events, myKey }: { events: HistoryEvent[]; myKey: string }) {
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li
          key={event.id}
          className={`event ${event.flags.length > 0 ? 'flagged' : ''}`}
          data-testid="history-event"
        >
          <div className="event-seq" title="subject sequence number">
            #{event.subjectSeq}
          </div>
          <div className="event-body">
            <div className="event-head">
              <strong>{eventTypeLabel(event.type)}</strong> <code className="muted">{event.type}</code>
              <span className="event-time">{formatTime(event.occurredAt)}</span>
            </div>
            {event.flags.map((flag) => (
              <div className="flag" key={flag.code} data-testid="event-flag">
                ⚠ <strong>{flagLabel(flag.code)}</strong> — {flag.message}
              </div>
            ))}
            {event.payloadStatus === 'disclosed' && event.payload !== undefined ? (
              <ValueView value={event.payload} />
            ) : (
              <p className="muted">
                {event.payloadStatus === 'redacted'
                  ? '内容已删除 Payload erased (the log keeps its commitment; proofs stay valid)'
                  : '无权查看 Payload not visible to your role'}
              </p>
            )}
            <div className="event-meta">
              log <Link to={`/log?seq=${event.seq}`}>seq {event.seq}</Link> · recorded{' '}
              {formatTime(event.recordedAt)} · by{' '}
              <Mono title={event.submitter.party}>{event.submitter.party.slice(0, 8)}</Mono>{' '}
              <Mono>{event.submitter.keyId}</Mono>
              {event.submitter.keyId === myKey && <span className="badge role">you 本人</span>}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
