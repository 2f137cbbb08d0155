import { useTranslation } from 'react-i18next';
import { useRef, type KeyboardEvent } from 'react';

/** Symbol tabs: one tab stop; the arrow keys, Home and End move between symbols. */
export function SymbolTabs(props: {
  symbols: readonly string[];
  selected: string | null;
  onSelect: (symbol: string) => void;
}) {
  const { symbols, selected, onSelect } = props;
  const list = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const onKeyDown = (e: KeyboardEvent) => {
    const i = symbols.indexOf(selected ?? '');
    const to =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? (i + 1) % symbols.length
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? (i - 1 + symbols.length) % symbols.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? symbols.length - 1
              : null;
    if (to === null || symbols.length === 0) return;
    e.preventDefault();
    onSelect(symbols[to]!);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[to]?.focus();
  };
  return (
    <div
      className="symbol-tabs"
      role="tablist"
      aria-label={t('dashboard.symbol')}
      ref={list}
      onKeyDown={onKeyDown}
    >
      {symbols.map((symbol) => (
        <button
          key={symbol}
          role="tab"
          aria-selected={symbol === selected}
          tabIndex={symbol === selected || (selected === null && symbol === symbols[0]) ? 0 : -1}
          className={symbol === selected ? 'tab active' : 'tab'}
          onClick={() => onSelect(symbol)}
        >
          {symbol}
        </button>
      ))}
    </div>
  );
}
