import { useTranslation } from 'react-i18next';
import type { NotificationSettings, Settings } from '../../../../core/api/schemas.ts';
import { useApp } from '../../app-context.ts';
import { Field } from './fields.tsx';

const THEMES = ['dark', 'light', 'system'] as const;
const LANGUAGES = ['system', 'en', 'sv'] as const;
const NOTIFY: ReadonlyArray<keyof NotificationSettings> = [
  'fills',
  'killSwitch',
  'riskBlocks',
  'errors',
];

/**
 * Theme, language and desktop notifications: each change is saved (and applied) at once,
 * apart from the settings form below, so it never discards the form's unsaved edits.
 */
export function DesktopSettings({ ui }: { ui: Settings['ui'] }) {
  const { t } = useTranslation();
  const { commands } = useApp();
  return (
    <div className="settings-form desktop-settings">
      <fieldset className="section">
        <legend>{t('settings.appearance')}</legend>
        <p className="hint">{t('settings.appearanceHint')}</p>
        <div className="grid2">
          <Field id="ui-theme" label={t('settings.theme')}>
            <select
              id="ui-theme"
              value={ui.theme}
              onChange={(e) =>
                void commands.saveSettings({
                  ui: { theme: e.target.value as Settings['ui']['theme'] },
                })
              }
            >
              {THEMES.map((theme) => (
                <option key={theme} value={theme}>
                  {t(`settings.themes.${theme}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="ui-language" label={t('settings.language')}>
            <select
              id="ui-language"
              value={ui.language}
              onChange={(e) =>
                void commands.saveSettings({
                  ui: { language: e.target.value as Settings['ui']['language'] },
                })
              }
            >
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`settings.languages.${language}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('settings.notifications')}</legend>
        <p className="hint">{t('settings.notificationsHint')}</p>
        <div className="choices">
          {NOTIFY.map((kind) => (
            <label key={kind} className="check">
              <input
                type="checkbox"
                checked={ui.notifications[kind]}
                onChange={(e) =>
                  void commands.saveSettings({
                    ui: { notifications: { [kind]: e.target.checked } },
                  })
                }
              />
              {t(`settings.notify.${kind}`)}
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
