import { useEffect } from 'react';
import { Layout } from './components/Layout.tsx';
import { AssetDetailPage } from './pages/AssetDetailPage.tsx';
import { AssetsPage } from './pages/AssetsPage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { LogExplorerPage } from './pages/LogExplorerPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { VerifyPage } from './pages/VerifyPage.tsx';
import { navigate, type Route, useRoute } from './router.tsx';
import { useToken } from './session.ts';

/** Pages that need an API token; the verifier and the log explorer are public. */
function needsToken(path: string): boolean {
  return path === '/' || path === '/assets' || path.startsWith('/assets/');
}

function page(route: Route, token: string) {
  const { path, query } = route;
  if (path === '/') return <DashboardPage token={token} />;
  if (path === '/assets') return <AssetsPage token={token} query={query} />;
  if (path.startsWith('/assets/')) {
    const id = decodeURIComponent(path.slice('/assets/'.length));
    return <AssetDetailPage key={id} token={token} id={id} />;
  }
  return null;
}

export function App() {
  const route = useRoute();
  const token = useToken();
  const blocked = needsToken(route.path) && !token;

  useEffect(() => {
    if (blocked) {
      const back = route.path + (route.query.size ? `?${route.query}` : '');
      navigate(`/sign-in?next=${encodeURIComponent(back)}`, { replace: true });
    }
  }, [blocked, route]);

  useEffect(() => {
    const titles: Record<string, string> = {
      '/': '概览 Dashboard',
      '/assets': '资产 Assets',
      '/verify': '验证履历 Verify',
      '/log': '日志 Log',
      '/sign-in': '登录 Sign in',
    };
    const title =
      titles[route.path] ??
      (route.path.startsWith('/assets/') ? decodeURIComponent(route.path.slice(8)) : '');
    document.title = title ? `${title} · Carloop` : 'Carloop';
  }, [route.path]);

  let content: React.ReactNode;
  if (route.path === '/sign-in') content = <SignInPage next={route.query.get('next')} />;
  else if (route.path === '/verify') content = <VerifyPage subject={route.query.get('subject')} />;
  else if (route.path === '/log') content = <LogExplorerPage query={route.query} />;
  else if (needsToken(route.path)) content = token ? page(route, token) : null;
  else content = <NotFoundPage path={route.path} />;

  return <Layout path={route.path}>{content}</Layout>;
}
