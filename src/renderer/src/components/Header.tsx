import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import iconUrl from '../../../../resources/icon.png';
import { useApp, useBot, useLive } from '../app-context.ts';
import { availableCommands } from '../state/bot-store.ts';
import { armedLabel } from '../state/live-store.ts';
import { keyHint, keysOf } from '../shortcuts.ts';
import { BotSelector } from './BotSelector.tsx';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { blockRule, riskReason } from '../state/risk-store.ts';

export function Header() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const status = useBot((s) => s.status);
  const pending = useBot((s) => s.pending);
  const connection = useBot((s) => s.connection);
  const can = useBot(useShallow(availableCommands));
  const paused = status?.entriesPaused ?? false;
  const armed = useLive((s) => armedLabel(s.arming));
  const tripped = Boolean(status?.killSwitch);

  return (
    <header className="topbar">
      <div className="brand">
        <img src={iconUrl} alt="" width={26} height={26} />
        <span>BotDesk</span>
      </div>
      <BotSelector />
      <div className="labels">
        {status ? (
          <>
            <span
              className={`label data ${status.dataLabel.toLowerCase()}`}
              data-testid="data-label"
              title={t(`header.dataHint.${status.dataLabel}`)}
            >
              {t(`header.data.${status.dataLabel}`)}
            </span>
            <span
              className={`label mode ${status.mode}`}
              data-testid="mode-label"
              title={status.mode === 'live' ? t('header.liveHint') : t('header.paperHint')}
            >
              {status.mode === 'live' ? t('header.live') : t('header.paper')}
            </span>
            <span
              className={`state ${status.state}`}
              data-testid="bot-state"
              data-state={status.state}
            >
              <span className="dot" />
              {t(`state.${status.state}`)}
            </span>
            {armed ? (
              <span
                className="label live-armed"
                data-testid="live-armed"
                title="Live trading is armed: a bot in live mode sends real orders to this exchange."
              >
                {armed}
              </span>
            ) : null}
            {tripped ? (
              <span
                className="label blocked"
                data-testid="kill-switch-label"
                title="The kill switch tripped: acknowledge it to start again."
              >
                KILL SWITCH
              </span>
            ) : null}
            {connection === 'connected' ? null : (
              <span className="muted" data-testid="status-stale" title={t('header.lastKnownHint')}>
                {t('header.lastKnown')}
              </span>
            )}
            {status.state === 'running' && status.riskBlock ? (
              <span
                className="label blocked"
                data-testid="entries-blocked"
                title={t('header.blockedHint', {
                  reason: riskReason(
                    blockRule(status.riskBlock.rule),
                    status.riskBlock.values,
                    status.riskBlock.reason,
                  ),
                })}
              >
                {t('header.blocked')}
              </span>
            ) : null}
            {status.state === 'running' && paused ? (
              <span
                className="label paused"
                data-testid="entries-paused"
                title={t('header.pausedHint')}
              >
                {t('header.paused')}
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">{t('header.waiting')}</span>
        )}
      </div>
      <div className="controls" role="group" aria-label={t('header.botControls')}>
        <button
          className="btn primary"
          disabled={!can.start || tripped}
          onClick={() => void commands.start()}
          title={
            tripped
              ? 'The kill switch tripped: use "Acknowledge and start" below.'
              : keyHint(t('shortcuts.start'), 'start')
          }
          aria-describedby={tripped ? 'kill-switch' : undefined}
          aria-keyshortcuts={keysOf('start')}
        >
          {pending === 'start' ? t('header.starting') : t('header.start')}
        </button>
        {paused ? (
          <button
            className="btn"
            disabled={!can.resume}
            onClick={() => void commands.resume()}
            title={keyHint(t('shortcuts.pause'), 'pause')}
            aria-keyshortcuts={keysOf('pause')}
          >
            {t('header.resume')}
          </button>
        ) : (
          <button
            className="btn"
            disabled={!can.pause}
            onClick={() => void commands.pause()}
            title={keyHint(t('shortcuts.pause'), 'pause')}
            aria-keyshortcuts={keysOf('pause')}
          >
            {t('header.pause')}
          </button>
        )}
        <button
          className="btn danger"
          disabled={!can.stop}
          onClick={() => void commands.stop()}
          title={keyHint(t('shortcuts.stop'), 'stop')}
          aria-keyshortcuts={keysOf('stop')}
        >
          {pending === 'stop' ? t('header.stopping') : t('header.stop')}
        </button>
        <span
          className={`conn ${connection}`}
          title={t('header.connectionHint', { state: t(`header.connection.${connection}`) })}
          data-testid="connection"
        >
          {t(`header.connection.${connection}`)}
        </span>
        <ShortcutHelp />
      </div>
    </header>
  );
}
