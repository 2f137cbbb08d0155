import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp, useBot, useSettings } from '../app-context.ts';
import { availableCommands } from '../state/bot-store.ts';
import { formatMoney } from '../format.ts';

/** "Reset paper account", asked twice: it starts the paper wallet afresh. */
export function ResetAccount() {
  const { commands } = useApp();
  const { t } = useTranslation();
  const can = useBot(useShallow(availableCommands));
  const balance = useSettings((s) => s.settings?.bot.startingBalance ?? null);
  const [asking, setAsking] = useState(false);
  return (
    <section className="card reset-account" aria-labelledby="reset-title">
      <h2 id="reset-title">{t('reset.title')}</h2>
      {asking ? (
        <div role="alertdialog" aria-labelledby="reset-question" className="confirm">
          <p id="reset-question">{t('reset.question', { balance: formatMoney(balance) })}</p>
          <button
            className="btn danger"
            autoFocus
            onClick={() => {
              setAsking(false);
              void commands.resetPaperAccount();
            }}
          >
            {t('reset.confirm')}
          </button>
          <button className="btn ghost" onClick={() => setAsking(false)}>
            {t('reset.keep')}
          </button>
        </div>
      ) : (
        <>
          <p className="hint">{can.reset ? t('reset.hint') : t('reset.stopFirst')}</p>
          <button className="btn" disabled={!can.reset} onClick={() => setAsking(true)}>
            {t('reset.button')}
          </button>
        </>
      )}
    </section>
  );
}
