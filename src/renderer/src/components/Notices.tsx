import { useTranslation } from 'react-i18next';
import { useApp, useBot, useJournal } from '../app-context.ts';
import { useHeld } from '../use-held.ts';
import { BLOCK_HELD_MS } from './RiskBlockBanner.tsx';
import { ERROR_CODES } from '../../../core/api/errors.ts';
import { coreWords } from '../i18n/say.ts';

/** An error code in the user's words (unknown codes as themselves). */
function useCodeWords(): (code: string) => string {
  const { t } = useTranslation();
  return (code) =>
    (ERROR_CODES as readonly string[]).includes(code)
      ? t(`codes.${code as (typeof ERROR_CODES)[number]}`)
      : code;
}

const NO_WARNINGS: string[] = [];

/** Connection trouble, a failed command, and errors main wants the user to see. */
export function Notices() {
  const { stores } = useApp();
  const { t } = useTranslation();
  const codeWords = useCodeWords();
  const connectionError = useBot((s) => (s.connection === 'connected' ? null : s.connectionError));
  const commandError = useBot((s) => s.commandError);
  const statusError = useBot((s) => (s.status?.state === 'error' ? s.status.error : null));
  // "Start failed: X" already says it; the status's "stopped with an error: X" shows once that is dismissed
  const repeatsCommand = Boolean(statusError && commandError?.endsWith(statusError.message));
  const allNotices = useJournal((s) => s.notices);
  // the risk block banner says it already, with its rule and since when
  const blocked =
    useHeld(
      useBot((s) => s.status?.riskBlock ?? null),
      BLOCK_HELD_MS,
    ) !== null;
  const notices = blocked ? allNotices.filter((n) => n.code !== 'RISK_REJECTED') : allNotices;
  const allWarnings = useBot((s) => s.status?.warnings ?? NO_WARNINGS);
  // the kill-switch banner says it already, with the way to start again
  const trip = useBot((s) => s.status?.killSwitch?.message ?? null);
  const warnings = trip ? allWarnings.filter((w) => !w.startsWith(trip)) : allWarnings;

  return (
    <div className="notices" aria-live="polite">
      {connectionError ? (
        <div className="notice error">{coreWords(connectionError, 'core.message')}</div>
      ) : null}
      {statusError && !repeatsCommand ? (
        <div className="notice error" data-testid="status-error">
          {t('notices.stoppedWithError', {
            message: coreWords(statusError.message, 'core.message'),
          })}{' '}
          <span className="code" title={statusError.code}>
            {codeWords(statusError.code)}
          </span>
        </div>
      ) : null}
      {commandError ? (
        <div className="notice error" role="alert" data-testid="command-error">
          {commandError}
          <button
            className="close"
            onClick={() => stores.bot.getState().dismissCommandError()}
            aria-label={t('common.dismiss')}
          >
            ×
          </button>
        </div>
      ) : null}
      {warnings.map((w) => (
        <div key={w} className="notice warn">
          {coreWords(w, 'core.message')}
        </div>
      ))}
      {notices.map((n) => (
        <div key={n.ts} className="notice warn" data-testid="notice">
          {n.symbol ? <strong>{n.symbol}: </strong> : null}
          {coreWords(n.message, 'core.message')}{' '}
          <span className="code" title={n.code}>
            {codeWords(n.code)}
          </span>
          {n.count > 1 ? (
            <span className="count" title={t('notices.howMany')}>
              ×{n.count}
            </span>
          ) : null}
          <button
            className="close"
            onClick={() => stores.journal.getState().dismissNotice(n.ts)}
            aria-label={t('common.dismiss')}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
