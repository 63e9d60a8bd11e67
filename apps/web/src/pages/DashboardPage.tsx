import { useState } from 'react';
import { getJson, useApi } from '../api.ts';
import type { AuditReport, CheckpointView } from '../api-types.ts';
import { CheckpointFacts, CheckpointWitness } from '../components/Checkpoints.tsx';
import { Card, Loading, Mark, ProblemView } from '../components/ui.tsx';
import { type AssetCounts, type AssetTally, kindLabel, stateLabel, tallyFromCounts } from '../format.ts';
import { openLogCheckpoint } from '../log-proofs.ts';
import { Link } from '../router.tsx';

/** Asset counts by kind and state, counted by the server. */
async function countAssets(token: string, signal: AbortSignal): Promise<AssetTally> {
  return tallyFromCounts(await getJson<AssetCounts>('/assets/counts', { token, signal }));
}

export function DashboardPage({ token }: { token: string }) {
  const tally = useApi(`tally:${token}`, (signal) => countAssets(token, signal));
  const checkpoint = useApi('checkpoint', (signal) =>
    getJson<CheckpointView>('/ledger/checkpoint', { signal }),
  );

  return (
    <>
      <h1 className="page-title">
        概览 <span className="en">Dashboard</span>
      </h1>
      {tally.error !== undefined && <ProblemView error={tally.error} onRetry={tally.reload} />}
      <div className="stat-row">
        <Stat label="资产总数 Assets" value={tally.data?.total} />
        <Stat label="整车 Vehicles" value={kindTotal(tally.data, ['vehicle'])} />
        <Stat
          label="电池 Batteries"
          value={kindTotal(tally.data, ['battery-pack', 'battery-module', 'battery-cell'])}
        />
        <Stat label="零部件 Parts" value={kindTotal(tally.data, ['part'])} />
        <Stat label="材料批次 Material lots" value={kindTotal(tally.data, ['material-lot'])} />
        <Stat label="日志条目 Log entries" value={checkpoint.data?.size} />
      </div>
      <Card
        title="资产分布 Assets by kind and state"
        testId="asset-tally"
        actions={
          <button type="button" className="button small ghost" onClick={tally.reload}>
            刷新 Refresh
          </button>
        }
      >
        {tally.loading && !tally.data && <Loading />}
        {tally.data && <TallyTable tally={tally.data} />}
      </Card>
      <div className="grid-2">
        <Card
          title="日志 Log"
          testId="log-card"
          actions={
            <Link to="/log" className="button small ghost">
              浏览 Explore →
            </Link>
          }
        >
          {checkpoint.loading && <Loading />}
          {checkpoint.error !== undefined && (
            <ProblemView error={checkpoint.error} onRetry={checkpoint.reload} />
          )}
          {checkpoint.data && <LogFacts view={checkpoint.data} />}
        </Card>
        <AuditCard token={token} />
      </div>
      {checkpoint.data && <Witness view={checkpoint.data} />}
    </>
  );
}

function kindTotal(tally: AssetTally | undefined, kinds: string[]): number | undefined {
  if (!tally) return undefined;
  return tally.byKind.filter((k) => kinds.includes(k.kind)).reduce((sum, k) => sum + k.total, 0);
}

function Stat({ label, value }: { label: string; value: number | undefined }) {
  return (
    <div className="stat">
      <div className="stat-value">{value === undefined ? '…' : value.toLocaleString('en')}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function TallyTable({ tally }: { tally: AssetTally }) {
  if (tally.total === 0)
    return (
      <p className="muted">
        No assets yet. Register some with <code>npx carloop import --file examples/vehicles.csv</code>.
      </p>
    );
  const max = Math.max(...tally.byKind.map((k) => k.total));
  return (
    <table className="table tally">
      <thead>
        <tr>
          <th>类型 Kind</th>
          <th className="num">Total 合计</th>
          <th>By state 按状态</th>
        </tr>
      </thead>
      <tbody>
        {tally.byKind.map((row) => (
          <tr key={row.kind} data-testid={`tally-${row.kind}`}>
            <td>
              <Link to={`/assets?kind=${row.kind}`}>{kindLabel(row.kind)}</Link>
            </td>
            <td className="num">
              <div className="bar-cell">
                <span className="bar" style={{ width: `${(row.total / max) * 100}%` }} />
                <strong>{row.total}</strong>
              </div>
            </td>
            <td>
              <div className="chips">
                {row.states.map(({ state, count }) => (
                  <Link
                    key={state}
                    className={`chip state-${state}`}
                    to={`/assets?kind=${row.kind}&state=${state}`}
                  >
                    {stateLabel(state)} <strong>{count}</strong>
                  </Link>
                ))}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LogFacts({ view }: { view: CheckpointView }) {
  const { step, checkpoint } = openLogCheckpoint(view.note, view.vkey);
  return <CheckpointFacts view={view} opened={checkpoint} signature={step} />;
}

function Witness({ view }: { view: CheckpointView }) {
  const { checkpoint } = openLogCheckpoint(view.note, view.vkey);
  return checkpoint ? <CheckpointWitness checkpoint={checkpoint} /> : null;
}

function AuditCard({ token }: { token: string }) {
  const [requested, setRequested] = useState(0);
  const audit = useApi(requested ? `audit:${requested}` : null, (signal) =>
    getJson<AuditReport>('/ledger/audit', { token, signal }),
  );
  return (
    <Card
      title="审计 Audit"
      actions={
        <button
          type="button"
          className="button small"
          onClick={() => setRequested((n) => n + 1)}
          disabled={audit.loading}
        >
          运行审计 Run audit
        </button>
      }
    >
      <p className="hint">
        The server recomputes the whole tree from the stored entries and checks every signed checkpoint (GET
        /ledger/audit; admin, regulator or auditor). It reads the whole log, so it runs on request.
      </p>
      {audit.loading && <Loading label="审计中 Auditing…" />}
      {audit.error !== undefined && <ProblemView error={audit.error} />}
      {audit.data && (
        <div className={`verdict small ${audit.data.ok ? 'ok' : 'bad'}`}>
          <Mark ok={audit.data.ok} /> {audit.data.ok ? 'Audit passed 审计通过' : 'Audit FAILED 审计失败'}:{' '}
          {audit.data.entriesChecked.toLocaleString('en')} entries, {audit.data.checkpointsChecked}{' '}
          checkpoints
          {audit.data.firstDivergentEntry !== null &&
            `; first altered entry: seq ${audit.data.firstDivergentEntry}`}
        </div>
      )}
    </Card>
  );
}
