import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp, useBot, useSettings } from '../app-context.ts';
import { availableCommands } from '../state/bot-store.ts';
import { formatMoney } from '../format.ts';

/** "Reset paper account", asked twice: it starts the paper wallet afresh. */
export function ResetAccount() {
  const { commands } = useApp();
  const can = useBot(useShallow(availableCommands));
  const balance = useSettings((s) => s.settings?.bot.startingBalance ?? null);
  const [asking, setAsking] = useState(false);
  return (
    <section className="card reset-account" aria-labelledby="reset-title">
      <h2 id="reset-title">Paper account</h2>
      {asking ? (
        <div role="alertdialog" aria-labelledby="reset-question" className="confirm">
          <p id="reset-question">
            Start the paper wallet afresh with {formatMoney(balance)} and no positions? Open
            positions are dropped; the journal keeps the history.
          </p>
          <button
            className="btn danger"
            autoFocus
            onClick={() => {
              setAsking(false);
              void commands.resetPaperAccount();
            }}
          >
            Reset the paper account
          </button>
          <button className="btn ghost" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <>
          <p className="hint">
            {can.reset
              ? 'Start the paper wallet afresh (after a confirmation).'
              : 'Stop the bot to reset the paper account.'}
          </p>
          <button className="btn" disabled={!can.reset} onClick={() => setAsking(true)}>
            Reset paper account…
          </button>
        </>
      )}
    </section>
  );
}
