// Applies the theme setting to the page: "system" follows the OS (prefers-color-scheme), light
// and dark override it. The styles read it through color-scheme and light-dark().
import { useEffect } from 'react';
import type { Settings } from '../../../main/contract/schemas.ts';

export function useTheme(theme: Settings['theme'] | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (!theme || theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
