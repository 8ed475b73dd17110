import type { ReactNode } from 'react';
import type { ApiError } from '../../../shared/api/errors.ts';
import { Icon, type IconName } from './Icon.tsx';

export function EmptyState({ icon, title, children, action }: { icon: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="empty-state">
      <div className="state-icon">
        <Icon name={icon} size={22} />
      </div>
      <h2 className="state-title">{title}</h2>
      {children && <div className="state-body">{children}</div>}
      {action && <div className="state-action">{action}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = 'Something went wrong' }: { error: ApiError; onRetry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <div className="state-icon">
        <Icon name="alert" size={22} />
      </div>
      <h2 className="state-title">{title}</h2>
      <p className="state-body">{error.message}</p>
      {onRetry && (
        <div className="state-action">
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

/** Placeholder rows shaped like the content that is on its way. */
export function LoadingRows({ rows = 4, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="loading-rows" role="status" aria-label={label} data-testid="loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row">
          <span className="skeleton skeleton-line" style={{ width: `${38 + ((i * 23) % 40)}%` }} />
          <span className="skeleton skeleton-line skeleton-short" style={{ width: `${60 + ((i * 17) % 30)}%` }} />
        </div>
      ))}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role={label ? 'status' : undefined} aria-label={label} />;
}
