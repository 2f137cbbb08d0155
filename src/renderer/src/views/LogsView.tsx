import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogLine } from '../../../core/api/schemas.ts';
import { useBot, useJournal } from '../app-context.ts';
import { Card } from '../components/Card.tsx';
import { RiskEventsCard } from '../components/RiskEventsCard.tsx';
import { formatDateTime } from '../format.ts';
import { filterLogs, logsText, type LogFilter } from '../state/log-filter.ts';
import { useThrottled } from '../use-throttled.ts';

/** One empty list: a selector answering a new [] each time re-renders forever (React #185). */
const NO_SYMBOLS: string[] = [];

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // no clipboard permission (an insecure origin): the selection route still works
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

function LogFilters({ filter, onChange }: { filter: LogFilter; onChange: (f: LogFilter) => void }) {
  const { t } = useTranslation();
  const symbols = useBot((s) => s.status?.config?.symbols ?? NO_SYMBOLS);
  return (
    <div className="filters" role="group" aria-label={t('logs.filters')}>
      <label>
        {t('logs.level')}
        <select
          value={filter.level}
          onChange={(e) => onChange({ ...filter, level: e.target.value as LogLine['level'] })}
        >
          <option value="debug">{t('logs.levels.debug')}</option>
          <option value="info">{t('logs.levels.info')}</option>
          <option value="warn">{t('logs.levels.warn')}</option>
          <option value="error">{t('logs.levels.error')}</option>
        </select>
      </label>
      <label>
        {t('logs.pair')}
        <select
          value={filter.symbol}
          onChange={(e) => onChange({ ...filter, symbol: e.target.value })}
        >
          <option value="">{t('logs.allPairs')}</option>
          {symbols.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        {t('logs.contains')}
        <input
          type="search"
          value={filter.text}
          onChange={(e) => onChange({ ...filter, text: e.target.value })}
        />
      </label>
    </div>
  );
}

export function LogsView() {
  const { t } = useTranslation();
  const logs = useThrottled(
    useJournal((s) => s.logs),
    250,
  );
  const [filter, setFilter] = useState<LogFilter>({ level: 'debug', symbol: '', text: '' });
  const [copied, setCopied] = useState<number | null>(null);
  const shown = useMemo(() => filterLogs(logs, filter), [logs, filter]);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Follow new lines unless the user scrolled up to read.
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  const copy = async () => {
    await copyText(logsText(shown));
    setCopied(shown.length);
  };

  return (
    <div className="page">
      <div className="toolbar">
        <LogFilters filter={filter} onChange={setFilter} />
        <button className="btn" onClick={() => void copy()}>
          {t('logs.copy', { count: shown.length })}
        </button>
        {copied !== null ? (
          <span className="muted" role="status">
            {t('logs.copied', { count: copied })}
          </span>
        ) : null}
      </div>
      <Card
        title={t('logs.title')}
        aside={t('logs.shown', { shown: shown.length, total: logs.length })}
        className="log-card"
      >
        <div
          className="log tall"
          ref={box}
          data-testid="log-panel"
          tabIndex={0}
          aria-label={t('logs.lines')}
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
          }}
        >
          {shown.length === 0 ? <div className="empty">{t('logs.none')}</div> : null}
          {shown.map((l, i) => (
            <div key={`${l.ts}-${i}`} className={`log-line ${l.level}`}>
              <span className="log-time">{formatDateTime(l.ts)}</span>
              <span className="log-level">{l.level}</span>
              <span className="log-scope">{l.scope}</span>
              <span className="log-msg">{l.message}</span>
            </div>
          ))}
        </div>
      </Card>
      <RiskEventsCard />
    </div>
  );
}
