import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { ToastContext, type ToastAction, type ToastApi } from '../hooks/useToast.ts';
import { Icon } from './Icon.tsx';

interface Toast {
  id: number;
  tone: 'error' | 'info';
  message: string;
  action?: ToastAction;
}

const LIFETIME = { error: 8000, info: 5000 };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, number>());

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
    const timer = timers.current.get(id);
    if (timer) window.clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const push = useCallback(
    (tone: Toast['tone'], message: string, action?: ToastAction) => {
      const id = next.current++;
      setToasts((list) => [...list.filter((t) => t.message !== message).slice(-3), { id, tone, message, ...(action ? { action } : {}) }]);
      timers.current.set(id, window.setTimeout(() => dismiss(id), LIFETIME[tone]));
    },
    [dismiss],
  );

  const api = useMemo<ToastApi>(() => ({ error: (m, a) => push('error', m, a), info: (m, a) => push('info', m, a) }), [push]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-label="Notifications">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'} data-testid="toast">
            <Icon name={t.tone === 'error' ? 'alert' : 'check'} />
            <span className="toast-message">{t.message}</span>
            {t.action && (
              <button
                type="button"
                className="toast-action"
                onClick={() => {
                  t.action?.run();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" className="icon-button toast-close" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}
