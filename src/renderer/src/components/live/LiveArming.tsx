import { useState } from 'react';
import { useApp, useLive } from '../../app-context.ts';
import { formatDateTime } from '../../format.ts';
import { confirmMatches } from '../../state/live-store.ts';

/** Arm live trading: the user types the exchange's name; testnet or real funds. Or disarm. */
export function LiveArming({ exchange }: { exchange: string }) {
  const { commands } = useApp();
  const arming = useLive((s) => s.arming);
  const pending = useLive((s) => s.pending);
  const error = useLive((s) =>
    s.error?.action === 'arm' || s.error?.action === 'disarm' ? s.error : null,
  );
  const [typed, setTyped] = useState('');
  const [sandbox, setSandbox] = useState(true);
  const matches = confirmMatches(exchange, typed);

  const arm = async () => {
    if (await commands.armLive(exchange, typed, sandbox)) setTyped('');
  };

  return (
    <fieldset className="section" aria-describedby="arming-state">
      <legend>Arm live trading</legend>
      {arming?.armed ? (
        <div
          className="notice error live-armed-notice"
          id="arming-state"
          role="status"
          data-testid="arming-state"
        >
          <strong>LIVE ARMED</strong> on {arming.exchange}{' '}
          {arming.sandbox ? '(testnet: no real funds)' : 'with REAL FUNDS'}
          {arming.armedAt ? ` since ${formatDateTime(arming.armedAt)}` : ''}.{' '}
          {arming.sandbox
            ? 'A bot in live mode sends its orders to the testnet.'
            : 'A bot in live mode sends real orders.'}
        </div>
      ) : (
        <p className="hint" id="arming-state" data-testid="arming-state">
          Live trading is not armed: a live start is refused.
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} />
        Use {exchange}'s testnet (sandbox mode: test funds only)
      </label>
      <div className="field">
        <label htmlFor="arm-confirm">Type “{exchange}” to confirm</label>
        <input
          id="arm-confirm"
          value={typed}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
        />
        <p className="hint">
          {sandbox
            ? 'Orders will go to the testnet.'
            : 'Orders will trade REAL FUNDS on the exchange.'}
        </p>
      </div>
      {error ? (
        <div className="notice error" role="alert" data-testid="arming-error">
          {error.message}
        </div>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="btn danger"
          disabled={!matches || pending !== null}
          onClick={() => void arm()}
        >
          {pending === 'arm'
            ? 'Arming…'
            : sandbox
              ? 'Arm live trading (testnet)'
              : 'Arm live trading (real funds)'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!arming?.armed || pending !== null}
          onClick={() => void commands.disarmLive()}
        >
          Disarm
        </button>
      </div>
    </fieldset>
  );
}
