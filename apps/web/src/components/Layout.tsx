import type { ReactNode } from 'react';
import { Link, navigate } from '../router.tsx';
import { setToken, tokenKeyId, useToken } from '../session.ts';

const nav = [
  { to: '/', label: '概览', en: 'Dashboard', match: (p: string) => p === '/' },
  { to: '/assets', label: '资产', en: 'Assets', match: (p: string) => p.startsWith('/assets') },
  { to: '/verify', label: '验证履历', en: 'Verify', match: (p: string) => p === '/verify' },
  { to: '/log', label: '日志', en: 'Log', match: (p: string) => p === '/log' },
];

export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const token = useToken();
  const signOut = () => {
    setToken(null);
    navigate('/sign-in');
  };
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          <svg viewBox="0 0 32 32" aria-hidden="true" className="brand-mark">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path
              d="M22.5 10.5a8 8 0 1 0 0 11"
              fill="none"
              stroke="#fff"
              strokeWidth="3.2"
              strokeLinecap="round"
            />
            <circle cx="23" cy="16" r="2.4" fill="#a7f3d0" />
          </svg>
          <span className="brand-name">Carloop</span>
          <span className="brand-sub">车辆全生命周期价值平台</span>
        </Link>
        <nav className="nav" aria-label="main">
          {nav.map((item) => (
            <Link key={item.to} to={item.to} className={item.match(path) ? 'active' : undefined}>
              {item.label} <span className="en">{item.en}</span>
            </Link>
          ))}
        </nav>
        <div className="session">
          {token ? (
            <>
              <span
                className="session-key"
                title="the key id the log records for your events"
                data-testid="session-key"
              >
                {tokenKeyId(token)}
              </span>
              <button type="button" className="button small ghost" onClick={signOut}>
                退出 Sign out
              </button>
            </>
          ) : (
            <Link to="/sign-in" className="button small">
              登录 Sign in
            </Link>
          )}
        </div>
      </header>
      <main className="content">{children}</main>
      <footer className="footer">
        Carloop · every fact a signed event in one verifiable Merkle log (RFC 6962) ·{' '}
        <a href="/docs">API reference</a>
      </footer>
    </div>
  );
}
