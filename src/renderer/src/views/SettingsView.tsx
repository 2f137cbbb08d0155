import { useTranslation } from 'react-i18next';
import { useMemo, useState, type FormEvent } from 'react';
import type { Settings, StopBehavior, Timeframe } from '../../../core/api/schemas.ts';
import { useApp, useBot, useSettings } from '../app-context.ts';
import { DesktopSettings } from '../components/settings/DesktopSettings.tsx';
import { Field } from '../components/settings/fields.tsx';
import { MarketFields } from '../components/settings/MarketFields.tsx';
import { ExitFields } from '../components/settings/ExitFields.tsx';
import { PairRiskFields } from '../components/settings/PairRiskFields.tsx';
import { pairRowsOf, readPairRows } from '../state/pair-risk-form.ts';
import { LiveSection } from '../components/live/LiveSection.tsx';
import { RiskFields } from '../components/settings/RiskFields.tsx';
import { StrategyFields } from '../components/settings/StrategyFields.tsx';
import { marketFormOf, readMarketForm, type MarketForm } from '../state/market-form.ts';
import {
  initialValues,
  paramFields,
  parseSymbols,
  readParams,
  type FormValues,
} from '../state/params-form.ts';
import { exitFormOf, readExitForm } from '../state/exit-form.ts';
import { readRiskForm, riskFormOf } from '../state/risk-form.ts';
import { say } from '../i18n/say.ts';

const STOP_BEHAVIOURS: readonly StopBehavior[] = ['leave', 'cancel_orders', 'close_positions'];

/** Symbols typed twice are refused here too, before a round trip to main. */
function duplicateSymbols(symbols: string[]): string | undefined {
  const seen = new Set<string>();
  const twice = symbols.filter((s) => seen.size === seen.add(s).size);
  return twice.length > 0 ? say('form.listedTwice', { symbols: twice.join(', ') }) : undefined;
}

/** The form, keyed by the saved settings so a save (or a change from elsewhere) resets it. */
function SettingsForm({ settings }: { settings: Settings }) {
  const { commands } = useApp();
  const { t } = useTranslation();
  const strategies = useSettings((s) => s.strategies);
  const saving = useSettings((s) => s.saving);
  const saveError = useSettings((s) => s.saveError);
  const running = useBot((s) => s.status?.state === 'running' || s.status?.state === 'starting');
  const bot = settings.bot;

  const [symbols, setSymbols] = useState(bot.symbols.join(', '));
  const [timeframe, setTimeframe] = useState<Timeframe>(bot.timeframe);
  const [strategyId, setStrategyId] = useState(bot.strategy.id);
  const [market, setMarket] = useState<MarketForm>(() => marketFormOf(bot.market));
  const [risk, setRisk] = useState(() => riskFormOf(bot));
  const [exits, setExits] = useState(() => exitFormOf(bot.risk));
  const [pairRows, setPairRows] = useState(() => pairRowsOf(bot.risk));
  const [stopBehavior, setStopBehavior] = useState<StopBehavior>(bot.stopBehavior);
  const [closeToTray, setCloseToTray] = useState(settings.ui.closeToTray);
  const strategy = strategies.find((s) => s.id === strategyId);
  const fields = useMemo(() => (strategy ? paramFields(strategy.paramsSchema) : []), [strategy]);
  const [params, setParams] = useState<FormValues>(() =>
    initialValues(fields, bot.strategy.params),
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const chooseStrategy = (id: string) => {
    setStrategyId(id);
    const next = strategies.find((s) => s.id === id);
    const saved = id === bot.strategy.id ? bot.strategy.params : {};
    setParams(next ? initialValues(paramFields(next.paramsSchema), saved) : {});
  };

  // Main's answer names the field ('bot.symbols.0'); the form marks the field it belongs to.
  const errorOf = (key: string): string | undefined =>
    localErrors[key] ??
    saveError?.fields[key] ??
    Object.entries(saveError?.fields ?? {}).find(([k]) => k.startsWith(`${key}.`))?.[1];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const read = readParams(fields, params);
    for (const [name, message] of Object.entries(read.errors))
      errors[`bot.strategy.params.${name}`] = message;
    const readMarket = readMarketForm(market, bot.market);
    for (const [name, message] of Object.entries(readMarket.errors))
      errors[`bot.market.${name}`] = message;
    const readRisk = readRiskForm(risk);
    Object.assign(errors, readRisk.errors);
    const readExits = readExitForm(exits);
    Object.assign(errors, readExits.errors);
    const readPairs = readPairRows(pairRows);
    Object.assign(errors, readPairs.errors);
    const list = parseSymbols(symbols);
    const twice = duplicateSymbols(list);
    if (twice) errors['bot.symbols'] = twice;
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    await commands.saveSettings({
      bot: {
        symbols: list,
        timeframe,
        strategy: { id: strategyId, params: read.params },
        market: readMarket.market,
        risk: {
          ...readRisk.risk,
          ...readExits.rules,
          ...(readPairs.pairs ? { pairs: readPairs.pairs } : {}),
        },
        startingBalance: readRisk.startingBalance,
        fees: readRisk.fees,
        stopBehavior,
      },
      ui: { closeToTray },
    });
  };

  const invalid = Object.keys(localErrors).length > 0;
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
      {running ? <div className="notice info">{t('settings.runningNote')}</div> : null}
      <MarketFields
        market={market}
        onMarket={(patch) => setMarket({ ...market, ...patch })}
        symbols={symbols}
        onSymbols={setSymbols}
        timeframe={timeframe}
        onTimeframe={setTimeframe}
        errorOf={errorOf}
      />
      <StrategyFields
        strategies={strategies}
        strategyId={strategyId}
        onStrategy={chooseStrategy}
        fields={fields}
        params={params}
        onParams={setParams}
        errorOf={errorOf}
      />
      <RiskFields form={risk} onChange={setRisk} errorOf={errorOf} />
      <ExitFields form={exits} onChange={setExits} errorOf={errorOf} />
      <PairRiskFields
        rows={pairRows}
        onChange={setPairRows}
        symbols={parseSymbols(symbols)}
        errorOf={errorOf}
      />
      <fieldset className="section">
        <legend>{t('settings.behaviour')}</legend>
        <Field id="stopBehavior" label={t('settings.whenStops')}>
          <select
            id="stopBehavior"
            value={stopBehavior}
            onChange={(e) => setStopBehavior(e.target.value as StopBehavior)}
          >
            {STOP_BEHAVIOURS.map((b) => (
              <option key={b} value={b}>
                {t(`settings.stopBehaviours.${b}`)}
              </option>
            ))}
          </select>
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={closeToTray}
            onChange={(e) => setCloseToTray(e.target.checked)}
          />
          {t('settings.closeToTray')}
        </label>
      </fieldset>

      {invalid || saveError ? (
        <div className="notice error" role="alert" data-testid="settings-error">
          {invalid || Object.keys(saveError?.fields ?? {}).length > 0
            ? t('settings.notSavedFields')
            : t('settings.notSaved', { message: saveError?.message ?? '' })}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={saving}>
          {saving ? t('settings.saving') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}

/** The form's identity: the saved settings it edits (not the appearance, saved on its own). */
function formKey(settings: Settings): string {
  return JSON.stringify({ ...settings, ui: { closeToTray: settings.ui.closeToTray } });
}

export function SettingsView() {
  const { t } = useTranslation();
  const settings = useSettings((s) => s.settings);
  const savedAt = useSettings((s) => s.savedAt);
  return (
    <div className="page narrow">
      <header className="page-head">
        <h1>{t('settings.title')}</h1>
        {savedAt ? (
          <span className="muted" role="status" data-testid="settings-saved">
            {t('settings.saved')}
          </span>
        ) : null}
      </header>
      {settings ? (
        <>
          <DesktopSettings ui={settings.ui} />
          <SettingsForm key={formKey(settings)} settings={settings} />
          <LiveSection settings={settings} />
        </>
      ) : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </div>
  );
}
