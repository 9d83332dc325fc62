// Window-wide keyboard shortcuts: Ctrl/Cmd+1…4 switch views, Ctrl/Cmd+O adds images. Keys typed
// into a field stay with the field.
import { useEffect, useEffectEvent } from 'react';

export function useShortcuts(handlers: Record<string, () => void>): void {
  const run = useEffectEvent((key: string): boolean => {
    const handler = handlers[key];
    if (!handler) return false;
    handler();
    return true;
  });
  useEffect(() => {
    const down = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (run(event.key.toLowerCase())) event.preventDefault();
    };
    window.addEventListener('keydown', down);
    return () => window.removeEventListener('keydown', down);
  }, []);
}
