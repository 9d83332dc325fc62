// Toasts: short, non-blocking messages in a corner (engine notices, batch summaries, the outcome
// of an action). They leave by themselves; errors stay longer. A toast with a key replaces the one
// before it with that key, so a batch says one thing at a time ("Queued 20", then "Batch finished").
export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: number;
  level: ToastLevel;
  message: string;
  action?: { label: string; run: () => void };
  /** Toasts about the same thing (a batch) share a key: the newest replaces the one shown. */
  key?: string;
}

export interface ToastStore {
  subscribe(listener: () => void): () => void;
  list(): readonly Toast[];
  push(toast: Omit<Toast, 'id'>): void;
  dismiss(id: number): void;
}

const LIFETIME_MS: Record<ToastLevel, number> = {
  info: 4000,
  success: 4000,
  warning: 7000,
  error: 10_000,
};
const MAX_SHOWN = 3;

export function createToastStore(): ToastStore {
  const listeners = new Set<() => void>();
  let toasts: readonly Toast[] = [];
  let nextId = 1;

  function set(next: readonly Toast[]): void {
    toasts = next;
    for (const listener of listeners) listener();
  }

  function dismiss(id: number): void {
    if (toasts.some((toast) => toast.id === id)) set(toasts.filter((toast) => toast.id !== id));
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    list: () => toasts,
    push(toast) {
      const id = nextId++;
      const others = toast.key ? toasts.filter((shown) => shown.key !== toast.key) : toasts;
      set([...others, { ...toast, id }].slice(-MAX_SHOWN));
      setTimeout(() => dismiss(id), LIFETIME_MS[toast.level]);
    },
    dismiss,
  };
}
