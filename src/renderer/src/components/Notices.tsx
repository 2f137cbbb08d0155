import { useApp, useSelect } from '../app-context.ts';

const NO_WARNINGS: string[] = [];

/** Connection trouble, a failed command, and errors main wants the user to see. */
export function Notices() {
  const { stores } = useApp();
  const connectionError = useSelect(
    (s) => s.bot,
    (s) => (s.connection === 'connected' ? null : s.connectionError),
  );
  const commandError = useSelect(
    (s) => s.bot,
    (s) => s.commandError,
  );
  const statusError = useSelect(
    (s) => s.bot,
    (s) => (s.status?.state === 'error' ? s.status.error : null),
  );
  const notices = useSelect(
    (s) => s.journal,
    (s) => s.notices,
  );
  const warnings = useSelect(
    (s) => s.bot,
    (s) => s.status?.warnings ?? NO_WARNINGS,
  );

  return (
    <div className="notices" aria-live="polite">
      {connectionError ? <div className="notice error">{connectionError}</div> : null}
      {statusError ? (
        <div className="notice error">
          The bot stopped with an error: {statusError.message}{' '}
          <span className="code">{statusError.code}</span>
        </div>
      ) : null}
      {commandError ? (
        <div className="notice error" role="alert" data-testid="command-error">
          {commandError}
          <button
            className="close"
            onClick={() => stores.bot.getState().dismissCommandError()}
            aria-label="Dismiss"
          >
            ×
          </button>
        </div>
      ) : null}
      {warnings.map((w) => (
        <div key={w} className="notice warn">
          {w}
        </div>
      ))}
      {notices.map((n) => (
        <div key={n.ts} className="notice warn">
          {n.symbol ? <strong>{n.symbol}: </strong> : null}
          {n.message} <span className="code">{n.code}</span>
          <button
            className="close"
            onClick={() => stores.journal.getState().dismissNotice(n.ts)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
