import { type ReactNode, useState } from 'react';
import {
  fieldLabel,
  formatMinorUnits,
  formatScalar,
  isMinorUnitMoney,
  kindLabel,
  stateLabel,
} from '../format.ts';
import { type Problem, problemOf } from '../problem.ts';
import { Link } from '../router.tsx';

export function Card({
  title,
  actions,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Loading({ label = '加载中 Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** An API error as the server described it, with each field-level error. */
export function ProblemView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const problem: Problem = problemOf(error);
  return (
    <div className="problem" role="alert" data-testid="problem">
      <div className="problem-title">
        <strong>{problem.status ? `${problem.status} ${problem.title}` : problem.title}</strong>
        {problem.code && <code className="problem-code">{problem.code}</code>}
      </div>
      {problem.detail && <p className="problem-detail">{problem.detail}</p>}
      {problem.errors.length > 0 && (
        <ul className="problem-fields">
          {problem.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      {problem.status === 401 && (
        <p>
          <Link to="/sign-in">重新登录 Sign in again</Link>
        </p>
      )}
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          重试 Retry
        </button>
      )}
    </div>
  );
}

export function Mark({ ok }: { ok: boolean }) {
  return (
    <span className={`mark ${ok ? 'ok' : 'bad'}`} role="img" aria-label={ok ? 'passed' : 'failed'}>
      {ok ? '✓' : '✗'}
    </span>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  return <span className={`badge kind kind-${kind}`}>{kindLabel(kind)}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state state-${state}`}>{stateLabel(state)}</span>;
}

export function Mono({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <code className="mono" title={title}>
      {children}
    </code>
  );
}

export function CopyButton({ text, label = '复制 Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <button type="button" className="button small ghost" onClick={copy}>
      {copied ? '已复制 Copied' : label}
    </button>
  );
}

/** A JSON value as a readable definition list: money from minor units, units from field names. */
export function ValueView({ value, name = '' }: { value: unknown; name?: string }) {
  if (isMinorUnitMoney(value)) return <>{formatMinorUnits(value.amountMinor, value.currency)}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>—</>;
    return (
      <ol className="value-list">
        {value.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: items of a payload list have no identity of their own
          <li key={i}>
            <ValueView value={item} name={name} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object' && value !== null)
    return <FieldTable record={value as Record<string, unknown>} />;
  return <>{formatScalar(name, value)}</>;
}

export function FieldTable({ record, omit = [] }: { record: Record<string, unknown>; omit?: string[] }) {
  const entries = Object.entries(record).filter(([key]) => !omit.includes(key));
  if (entries.length === 0) return <p className="muted">—</p>;
  return (
    <dl className="fields">
      {entries.map(([key, value]) => (
        <div className="field" key={key}>
          <dt title={key}>{fieldLabel(key)}</dt>
          <dd>
            <ValueView value={value} name={key} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
