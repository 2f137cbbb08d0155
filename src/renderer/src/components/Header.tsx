import { useShallow } from 'zustand/react/shallow';
import iconUrl from '../../../../resources/icon.png';
import { BOT_STATE_LABEL } from '../../../core/api/status-text.ts';
import { useApp, useBot, useLive } from '../app-context.ts';
import { availableCommands } from '../state/bot-store.ts';
import { armedLabel } from '../state/live-store.ts';
import { BotSelector } from './BotSelector.tsx';

const DATA_HINT = {
  SIMULATED: 'Prices come from the built-in simulated market, not from an exchange.',
  REPLAY: 'Prices are replayed from a recorded file.',
  EXCHANGE: 'Prices are live from an exchange.',
} as const;

export function Header() {
  const { commands } = useApp();
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
              title={DATA_HINT[status.dataLabel]}
            >
              {status.dataLabel} DATA
            </span>
            <span
              className={`label mode ${status.mode}`}
              data-testid="mode-label"
              title={
                status.mode === 'live'
                  ? 'Orders go to the exchange with real money.'
                  : 'Orders are simulated; no real money is used.'
              }
            >
              {status.mode === 'live' ? 'LIVE TRADING' : 'PAPER TRADING'}
            </span>
            <span
              className={`state ${status.state}`}
              data-testid="bot-state"
              data-state={status.state}
            >
              <span className="dot" />
              {BOT_STATE_LABEL[status.state]}
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
              <span
                className="muted"
                data-testid="status-stale"
                title="The connection to the bot is down: this is the last status it sent."
              >
                (last known)
              </span>
            )}
            {status.state === 'running' && status.riskBlock ? (
              <span
                className="label blocked"
                data-testid="entries-blocked"
                title={`New entries are refused: ${status.riskBlock.reason}`}
              >
                ENTRIES BLOCKED
              </span>
            ) : null}
            {status.state === 'running' && paused ? (
              <span
                className="label paused"
                data-testid="entries-paused"
                title="No new positions are opened; exits, stops and take-profits still work."
              >
                ENTRIES PAUSED
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">Waiting for the bot…</span>
        )}
      </div>
      <div className="controls">
        <button
          className="btn primary"
          disabled={!can.start || tripped}
          title={
            tripped ? 'The kill switch tripped: use "Acknowledge and start" below.' : undefined
          }
          aria-describedby={tripped ? 'kill-switch' : undefined}
          onClick={() => void commands.start()}
        >
          {pending === 'start' ? 'Starting…' : 'Start'}
        </button>
        {paused ? (
          <button className="btn" disabled={!can.resume} onClick={() => void commands.resume()}>
            Resume entries
          </button>
        ) : (
          <button className="btn" disabled={!can.pause} onClick={() => void commands.pause()}>
            Pause entries
          </button>
        )}
        <button className="btn danger" disabled={!can.stop} onClick={() => void commands.stop()}>
          {pending === 'stop' ? 'Stopping…' : 'Stop'}
        </button>
        <span
          className={`conn ${connection}`}
          title={`Connection: ${connection}`}
          data-testid="connection"
        >
          {connection}
        </span>
      </div>
    </header>
  );
}
