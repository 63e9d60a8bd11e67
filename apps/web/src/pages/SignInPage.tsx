import { type FormEvent, useState } from 'react';
import { getJson, useApi } from '../api.ts';
import type { Page, Party } from '../api-types.ts';
import { Card, Loading, ProblemView } from '../components/ui.tsx';
import { formatTime } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { setToken, tokenKeyId, useToken } from '../session.ts';

const partiesPage = (token: string, signal?: AbortSignal) =>
  getJson<Page<Party>>('/parties', { token, query: { limit: 20 }, ...(signal ? { signal } : {}) });

/** Only internal paths, so a crafted `next` cannot send the user elsewhere. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage({ next }: { next: string | null }) {
  const token = useToken();
  const [draft, setDraft] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = draft.trim();
    if (!candidate) return;
    setChecking(true);
    setError(undefined);
    try {
      // The API has no "who am I": a token is good if it may list parties (every role may).
      await partiesPage(candidate);
      setToken(candidate);
      setDraft('');
    } catch (e) {
      setError(e);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="narrow">
      <h1 className="page-title">
        登录 <span className="en">Sign in</span>
      </h1>
      {token ? (
        <Identity token={token} next={safeNext(next)} />
      ) : (
        <Card>
          <form onSubmit={submit} className="stack">
            <label className="label" htmlFor="token">
              API 令牌 API token
            </label>
            <input
              id="token"
              name="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              className="input mono"
              placeholder="clp_…"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
            />
            <p className="hint">
              Tokens are issued once, by <code>npx carloop party create --name … --role … --json</code> or{' '}
              <code>POST /parties</code>. The console keeps yours in this browser's local storage and sends it
              only to this server.
            </p>
            {error !== undefined && <ProblemView error={error} />}
            <div>
              <button type="submit" className="button" disabled={checking || !draft.trim()}>
                {checking ? '验证中 Checking…' : '登录 Sign in'}
              </button>
            </div>
          </form>
        </Card>
      )}
      <Card className="muted-card">
        <p>
          买车? Buying a used car? You need no account:{' '}
          <Link to="/verify">verify a vehicle history 验证车辆履历</Link> or browse the{' '}
          <Link to="/log">public log 公开日志</Link>.
        </p>
      </Card>
    </div>
  );
}

function Identity({ token, next }: { token: string; next: string }) {
  const parties = useApi(`parties:${token}`, (signal) => partiesPage(token, signal));
  return (
    <Card
      title="已登录 Signed in"
      testId="identity"
      actions={
        <>
          <button type="button" className="button ghost" onClick={() => setToken(null)}>
            换令牌 Use another token
          </button>
          <button type="button" className="button" onClick={() => navigate(next)}>
            继续 Continue →
          </button>
        </>
      }
    >
      <dl className="fields">
        <div className="field">
          <dt>Key id 密钥标识</dt>
          <dd>
            <code className="mono">{tokenKeyId(token)}</code>
            <span className="hint"> — how the log records events you submit</span>
          </dd>
        </div>
      </dl>
      <h3 className="subhead">Parties visible to this token 可见机构</h3>
      {parties.loading && <Loading />}
      {parties.error !== undefined && <ProblemView error={parties.error} onRetry={parties.reload} />}
      {parties.data && (
        <table className="table">
          <thead>
            <tr>
              <th>机构 Party</th>
              <th>角色 Roles</th>
              <th>Created 创建</th>
            </tr>
          </thead>
          <tbody>
            {parties.data.items.map((party) => (
              <tr key={party.id} data-testid="party-row">
                <td>
                  <strong>{party.name}</strong>
                  <div className="hint mono">{party.id}</div>
                </td>
                <td>
                  {party.roles.map((role) => (
                    <span key={role} className="badge role">
                      {role}
                    </span>
                  ))}
                </td>
                <td>{formatTime(party.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {parties.data?.next && <p className="hint">First page only; more parties exist.</p>}
    </Card>
  );
}
