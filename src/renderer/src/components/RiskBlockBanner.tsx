import { useBot } from '../app-context.ts';
import { formatDateTime } from '../format.ts';

const RULE_LABEL: Record<string, string> = {
  'daily-loss': 'Daily loss limit',
  'max-positions': 'Max open positions',
  'kill-switch': 'Kill switch',
  drawdown: 'Drawdown limit',
};

/** New entries refused by a risk rule: a visible state with its reason, not only a log line. */
export function RiskBlockBanner() {
  const block = useBot((s) => (s.status?.state === 'running' ? s.status.riskBlock : null));
  if (!block) return null;
  return (
    <div className="risk-block" role="status" data-testid="risk-block" data-rule={block.rule}>
      <strong>New entries blocked — {RULE_LABEL[block.rule] ?? block.rule}.</strong> {block.reason}.
      Exits keep working. <span className="muted">Since {formatDateTime(block.since)}</span>
    </div>
  );
}
