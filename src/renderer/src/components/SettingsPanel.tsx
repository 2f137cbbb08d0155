import { useMemo, useState, type FormEvent } from 'react';
import type {
  MarketSourceKind,
  Settings,
  StopBehavior,
  Timeframe,
} from '../../../core/api/schemas.ts';
import { TIMEFRAMES } from '../../../core/api/timeframes.ts';
import { useApp, useBot, useSettings } from '../app-context.ts';
import {
  hasClock,
  MARKET_SOURCES,
  marketFormOf,
  readMarketForm,
  type MarketForm,
} from '../state/market-form.ts';
import {
  initialValues,
  paramFields,
  parseSymbols,
  readParams,
  type FormValues,
  type ParamField,
} from '../state/params-form.ts';

const STOP_BEHAVIOURS: Array<{ value: StopBehavior; label: string }> = [
  { value: 'leave', label: 'Leave orders and positions' },
  { value: 'cancel_orders', label: 'Cancel open orders' },
  { value: 'close_positions', label: 'Close positions' },
];

function FieldError({ text }: { text: string | undefined }) {
  return text ? <div className="field-error">{text}</div> : null;
}

function ParamInput({
  field,
  value,
  onChange,
}: {
  field: ParamField;
  value: string | boolean;
  onChange: (v: string | boolean) => void;
}) {
  const id = `param-${field.name}`;
  if (field.kind === 'boolean') {
    return (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  }
  if (field.kind === 'enum') {
    return (
      <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {field.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  }
  const numeric = field.kind === 'number' || field.kind === 'integer';
  return (
    <input
      id={id}
      type={numeric ? 'number' : 'text'}
      step={field.kind === 'integer' ? 1 : 'any'}
      min={field.min ?? undefined}
      max={field.max ?? undefined}
      value={String(value)}
      placeholder={field.defaultValue === undefined ? '' : `default ${String(field.defaultValue)}`}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** The form, keyed by the saved settings so a save (or a change from elsewhere) resets it. */
function SettingsForm({ settings, onClose }: { settings: Settings; onClose: () => void }) {
  const { commands } = useApp();
  const strategies = useSettings((s) => s.strategies);
  const saving = useSettings((s) => s.saving);
  const saveError = useSettings((s) => s.saveError);
  const running = useBot((s) => s.status?.state === 'running' || s.status?.state === 'starting');
  const bot = settings.bot;

  const [symbols, setSymbols] = useState(bot.symbols.join(', '));
  const [timeframe, setTimeframe] = useState<Timeframe>(bot.timeframe);
  const [strategyId, setStrategyId] = useState(bot.strategy.id);
  const [marketForm, setMarketForm] = useState<MarketForm>(() => marketFormOf(bot.market));
  const editMarket = (patch: Partial<MarketForm>) => setMarketForm({ ...marketForm, ...patch });
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

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const read = readParams(fields, params);
    const errors: Record<string, string> = {};
    for (const [name, message] of Object.entries(read.errors)) errors[`params.${name}`] = message;
    const readMarket = readMarketForm(marketForm, bot.market);
    Object.assign(errors, readMarket.errors);
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const saved = await commands.saveSettings({
      bot: {
        symbols: parseSymbols(symbols),
        timeframe,
        strategy: { id: strategyId, params: read.params },
        market: readMarket.market,
        stopBehavior,
      },
      ui: { closeToTray },
    });
    if (saved) onClose();
  };

  const serverField = (prefix: string) =>
    Object.entries(saveError?.fields ?? {}).find(
      ([path]) => path === prefix || path.startsWith(`${prefix}.`),
    )?.[1];

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
      {running ? (
        <div className="notice info">
          The bot is running: market, symbols, timeframe and strategy apply at the next start; stop
          behaviour at once.
        </div>
      ) : null}
      <label htmlFor="source">Market data</label>
      <select
        id="source"
        value={marketForm.source}
        onChange={(e) => editMarket({ source: e.target.value as MarketSourceKind })}
      >
        {MARKET_SOURCES.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </select>
      {marketForm.source === 'ccxt' ? (
        <>
          <label htmlFor="exchange">Exchange (ccxt id)</label>
          <input
            id="exchange"
            value={marketForm.exchange}
            onChange={(e) => editMarket({ exchange: e.target.value })}
            placeholder="binance"
          />
          <p className="hint">Public candles only; orders stay paper trades.</p>
          <FieldError text={localErrors.exchange ?? serverField('bot.market.exchange')} />
        </>
      ) : null}
      {marketForm.source === 'replay' ? (
        <>
          <label htmlFor="file">Candle file</label>
          <input
            id="file"
            value={marketForm.file}
            onChange={(e) => editMarket({ file: e.target.value })}
            placeholder="/path/to/candles.csv"
          />
          <FieldError text={localErrors.file ?? serverField('bot.market.file')} />
        </>
      ) : null}

      <label htmlFor="symbols">Symbols</label>
      <input
        id="symbols"
        value={symbols}
        onChange={(e) => setSymbols(e.target.value)}
        placeholder="BTC/USDT, ETH/USDT"
      />
      <FieldError text={serverField('bot.symbols')} />

      <div className="row">
        <div>
          <label htmlFor="timeframe">Timeframe</label>
          <select
            id="timeframe"
            value={timeframe}
            onChange={(e) => setTimeframe(e.target.value as Timeframe)}
          >
            {TIMEFRAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        {hasClock(marketForm.source) ? (
          <div>
            <label htmlFor="speed">Simulation speed (×)</label>
            <input
              id="speed"
              type="number"
              min={0}
              step="any"
              value={marketForm.speed}
              onChange={(e) => editMarket({ speed: e.target.value })}
            />
            <FieldError text={localErrors.speed ?? serverField('bot.market.speed')} />
          </div>
        ) : null}
      </div>

      <label htmlFor="strategy">Strategy</label>
      <select id="strategy" value={strategyId} onChange={(e) => chooseStrategy(e.target.value)}>
        {strategies.some((s) => s.id === strategyId) ? null : (
          <option value={strategyId}>{strategyId} (not found)</option>
        )}
        {strategies.map((s) => (
          <option key={s.id} value={s.id} disabled={Boolean(s.error)}>
            {s.name}
            {s.origin === 'user' ? ' (user)' : ''}
            {s.error ? ' — has errors' : ''}
          </option>
        ))}
      </select>
      {strategy ? <p className="hint">{strategy.description}</p> : null}
      <FieldError text={serverField('bot.strategy')} />

      {fields.length > 0 ? (
        <fieldset className="params">
          <legend>Parameters</legend>
          {fields.map((f) => (
            <div key={f.name} className="param">
              <label htmlFor={`param-${f.name}`} title={f.description ?? undefined}>
                {f.name}
              </label>
              <ParamInput
                field={f}
                value={params[f.name] ?? ''}
                onChange={(v) => setParams({ ...params, [f.name]: v })}
              />
              {f.description ? <div className="hint">{f.description}</div> : null}
              <FieldError text={localErrors[`params.${f.name}`]} />
            </div>
          ))}
        </fieldset>
      ) : null}

      <label htmlFor="stopBehavior">When the bot stops</label>
      <select
        id="stopBehavior"
        value={stopBehavior}
        onChange={(e) => setStopBehavior(e.target.value as StopBehavior)}
      >
        {STOP_BEHAVIOURS.map((b) => (
          <option key={b.value} value={b.value}>
            {b.label}
          </option>
        ))}
      </select>

      <label className="check">
        <input
          type="checkbox"
          checked={closeToTray}
          onChange={(e) => setCloseToTray(e.target.checked)}
        />
        Closing the window keeps BotDesk running in the tray
      </label>

      {saveError ? (
        <div className="notice error" role="alert" data-testid="settings-error">
          {Object.keys(saveError.fields).length > 0
            ? 'Settings were not saved: correct the fields marked in red.'
            : `Settings were not saved: ${saveError.message}`}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const settings = useSettings((s) => s.settings);
  return (
    <>
      <div className="backdrop" onClick={onClose} />
      <aside className="drawer" aria-label="Settings">
        <header className="card-head">
          <h2>Settings</h2>
          <button className="btn ghost" onClick={onClose} aria-label="Close settings">
            ×
          </button>
        </header>
        {settings ? (
          <SettingsForm key={JSON.stringify(settings)} settings={settings} onClose={onClose} />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </aside>
    </>
  );
}
