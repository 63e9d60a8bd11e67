import { Card } from '../components/ui.tsx';
import { Link } from '../router.tsx';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <Card title="页面不存在 Page not found">
      <p>
        There is no console page at <code>/app{path}</code>.{' '}
        <Link to="/">Back to the dashboard 返回概览</Link>
      </p>
    </Card>
  );
}
