/**
 * Light, dark or the system's: the setting resolves to 'light' or 'dark' (system:
 * `prefers-color-scheme`, followed live), written on <html data-theme> for the CSS
 * (themes.css) and kept in a tiny store the charts read.
 */
import { useEffect, useSyncExternalStore } from 'react';

import { resolveTheme, type Theme, type ThemeSetting } from './theme-choice.ts';

export type { Theme, ThemeSetting } from './theme-choice.ts';

let current: Theme = 'dark';
const listeners = new Set<() => void>();

function setTheme(theme: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  if (theme === current) return;
  current = theme;
  for (const l of listeners) l();
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** The theme in effect ('light' or 'dark'). */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => current);
}

/** Applies the setting to the page, and follows the OS while it is 'system'. */
export function useApplyTheme(setting: ThemeSetting): void {
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: light)');
    const apply = () => setTheme(resolveTheme(setting, query.matches));
    apply();
    if (setting !== 'system') return;
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [setting]);
}
