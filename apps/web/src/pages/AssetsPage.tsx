import { getJson, useApi, withQuery } from '../api.ts';
import type { Asset, CatalogueRow, Page } from '../api-types.ts';
import { Card, Empty, KindBadge, Loading, Mono, ProblemView, StateBadge } from '../components/ui.tsx';
import { assetKinds, assetSummary, formatTime, kindLabel, stateLabel, statesByKind } from '../format.ts';
import { Link, navigate } from '../router.tsx';

const pageSizes = [25, 50, 100, 200];

interface Filters {
  kind: string;
  state: string;
  limit: number;
  after: string;
  /** Cursors of the pages before this one (page 1 has none), in the URL so Back and reload work. */
  trail: string[];
}

function readFilters(query: URLSearchParams): Filters {
  const limit = Number(query.get('limit'));
  return {
    kind: query.get('kind') ?? '',
    state: query.get('state') ?? '',
    limit: pageSizes.includes(limit) ? limit : 25,
    after: query.get('after') ?? '',
    trail: query.getAll('trail'),
  };
}

function hrefOf(filters: Filters): string {
  const params = new URLSearchParams(
    withQuery('', {
      kind: filters.kind,
      state: filters.state,
      limit: filters.limit === 25 ? null : filters.limit,
      after: filters.after,
    }).slice(1),
  );
  for (const cursor of filters.trail) params.append('trail', cursor);
  const text = params.toString();
  return `/assets${text ? `?${text}` : ''}`;
}

export function AssetsPage({ token, query }: { token: string; query: URLSearchParams }) {
  const filters = readFilters(query);
  const key = hrefOf(filters);
  const assets = useApi(`${token}:${key}`, (signal) =>
    getJson<Page<Asset>>('/assets', {
      token,
      signal,
      query: { kind: filters.kind, state: filters.state, limit: filters.limit, after: filters.after },
    }),
  );
  const catalogue = useApi('catalogue', (signal) => getJson<CatalogueRow[]>('/ledger/types', { signal }));
  const states = catalogue.data ? statesByKind(catalogue.data) : {};
  const stateOptions = filters.kind
    ? (states[filters.kind] ?? [])
    : [...new Set(Object.values(states).flat())].sort();

  // A filter change starts again from the first page.
  const setFilter = (change: Partial<Filters>) =>
    navigate(hrefOf({ ...filters, after: '', trail: [], ...change }));
  const pageNumber = filters.after ? filters.trail.length + 2 : 1;

  return (
    <>
      <h1 className="page-title">
        资产 <span className="en">Assets</span>
      </h1>
      <Card>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label className="filter">
            <span className="label">类型 Kind</span>
            <select
              className="input"
              name="kind"
              value={filters.kind}
              onChange={(e) => setFilter({ kind: e.target.value, state: '' })}
            >
              <option value="">全部 All kinds</option>
              {assetKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kindLabel(kind)}
                </option>
              ))}
              {filters.kind && !(assetKinds as readonly string[]).includes(filters.kind) && (
                <option value={filters.kind}>{filters.kind}</option>
              )}
            </select>
          </label>
          <label className="filter">
            <span className="label">状态 State</span>
            <select
              className="input"
              name="state"
              value={filters.state}
              onChange={(e) => setFilter({ state: e.target.value })}
            >
              <option value="">全部 All states</option>
              {stateOptions.map((state) => (
                <option key={state} value={state}>
                  {stateLabel(state)}
                </option>
              ))}
              {filters.state && !stateOptions.includes(filters.state) && (
                <option value={filters.state}>{filters.state}</option>
              )}
            </select>
          </label>
          <label className="filter">
            <span className="label">每页 Per page</span>
            <select
              className="input"
              name="limit"
              value={filters.limit}
              onChange={(e) => setFilter({ limit: Number(e.target.value) })}
            >
              {pageSizes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </form>
      </Card>
      <Card testId="assets-table">
        {assets.error !== undefined && <ProblemView error={assets.error} onRetry={assets.reload} />}
        {assets.loading && <Loading />}
        {assets.data && assets.data.items.length === 0 && (
          <Empty>没有符合条件的资产 No assets match these filters.</Empty>
        )}
        {assets.data && assets.data.items.length > 0 && (
          <table className="table assets">
            <thead>
              <tr>
                <th>标识 ID</th>
                <th>类型 Kind</th>
                <th>状态 State</th>
                <th>概要 Summary</th>
                <th>更新 Updated</th>
              </tr>
            </thead>
            <tbody>
              {assets.data.items.map((asset) => (
                <tr key={asset.id} data-testid="asset-row">
                  <td>
                    <Link to={`/assets/${encodeURIComponent(asset.id)}`}>
                      <Mono>{asset.id}</Mono>
                    </Link>
                  </td>
                  <td>
                    <KindBadge kind={asset.kind} />
                  </td>
                  <td>
                    <StateBadge state={asset.state} />
                  </td>
                  <td>{assetSummary(asset)}</td>
                  <td className="nowrap">{formatTime(asset.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {assets.data && (
          <div className="pager">
            <button
              type="button"
              className="button small ghost"
              disabled={!filters.after}
              onClick={() =>
                navigate(
                  hrefOf({
                    ...filters,
                    after: filters.trail.at(-1) ?? '',
                    trail: filters.trail.slice(0, -1),
                  }),
                )
              }
            >
              ← 上一页 Previous
            </button>
            <span className="muted">
              第 {pageNumber} 页 Page {pageNumber}
            </span>
            <button
              type="button"
              className="button small ghost"
              disabled={!assets.data.next}
              onClick={() =>
                navigate(
                  hrefOf({
                    ...filters,
                    after: assets.data?.next ?? '',
                    trail: filters.after ? [...filters.trail, filters.after] : filters.trail,
                  }),
                )
              }
            >
              下一页 Next →
            </button>
          </div>
        )}
      </Card>
    </>
  );
}
