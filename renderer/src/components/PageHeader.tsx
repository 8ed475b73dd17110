import type { ReactNode } from 'react';
import { goBack } from '../lib/router.ts';
import { Icon } from './Icon.tsx';

/** The bar at the top of every view. `heading: false` when the page's own content carries the h1. */
export function PageHeader({
  title,
  subtitle,
  actions,
  back = false,
  heading = true,
  narrow = false,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  back?: boolean;
  heading?: boolean;
  /** As wide as a narrow page body (settings, questions, trash), so the actions end where it ends. */
  narrow?: boolean;
}) {
  return (
    <header className={narrow ? 'page-header page-header-narrow' : 'page-header'}>
      {back && (
        <button type="button" className="icon-button page-back" aria-label="Back" title="Back" onClick={goBack}>
          <Icon name="back" />
        </button>
      )}
      <div className="page-heading">
        {heading ? <h1 className="page-title">{title}</h1> : <div className="page-title">{title}</div>}
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
