/** Which theme a setting means ('system': the OS's light or dark preference). */
import type { Settings } from '../../core/api/schemas.ts';

export type ThemeSetting = Settings['ui']['theme'];
export type Theme = 'dark' | 'light';

export function resolveTheme(setting: ThemeSetting, systemPrefersLight: boolean): Theme {
  if (setting === 'system') return systemPrefersLight ? 'light' : 'dark';
  return setting;
}
