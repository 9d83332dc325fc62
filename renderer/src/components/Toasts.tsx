// The toasts, stacked in the sidebar's bottom corner: a live region read by screen readers, each
// toast dismissible, none of them lying over anything (the sidebar gives them room of their own).
import type { Toast, ToastStore } from '../lib/toast-store.ts';
import { Icon, type IconName } from './Icon.tsx';

const ICONS: Record<Toast['level'], IconName> = {
  info: 'info',
  success: 'check',
  warning: 'alert',
  error: 'alert',
};

export function Toasts({ toasts, store }: { toasts: readonly Toast[]; store: ToastStore }) {
  return (
    <div className="toasts" role="log" aria-live="polite" aria-label="Notifications">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.level}`} data-level={toast.level}>
          <Icon name={ICONS[toast.level]} />
          <div className="toast-body">
            <p className="toast-text">{toast.message}</p>
            {toast.action && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  toast.action!.run();
                  store.dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notification"
            onClick={() => store.dismiss(toast.id)}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
