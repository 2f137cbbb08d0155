import { useTranslation } from 'react-i18next';
import { useBot } from '../app-context.ts';
import { formatDateTime } from '../format.ts';
import { blockRule, riskReason } from '../state/risk-store.ts';
import { useHeld } from '../use-held.ts';

/** A block that lifted stays on screen this long (one that flickers would move the page). */
export const BLOCK_HELD_MS = 2000;

/** New entries refused by a risk rule: a visible state with its reason, not only a log line. */
export function RiskBlockBanner() {
  const { t } = useTranslation();
  const block = useHeld(
    useBot((s) => (s.status?.state === 'running' ? s.status.riskBlock : null)),
    BLOCK_HELD_MS,
  );
  if (!block) return null;
  const known = ['daily-loss', 'max-positions', 'kill-switch', 'drawdown'] as const;
  const rule = known.find((r) => r === block.rule);
  return (
    <div className="risk-block" role="status" data-testid="risk-block" data-rule={block.rule}>
      <strong>
        {t('riskBlock.title', { rule: rule ? t(`riskBlock.rule.${rule}`) : block.rule })}
      </strong>{' '}
      {riskReason(blockRule(block.rule), block.values, block.reason)}. {t('riskBlock.exits')}{' '}
      <span className="muted">{t('riskBlock.since', { time: formatDateTime(block.since) })}</span>
    </div>
  );
}
