/** A user strategy file that replays its warm-up normally, then loops forever on its first live candle. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STUCK_STRATEGY_ID = 'stuck-after';

/** Writes the strategy into `strategiesDir`; use it with params `{ after: warmupCandles }`. */
export function writeStuckStrategy(strategiesDir: string): void {
  writeFileSync(
    join(strategiesDir, `${STUCK_STRATEGY_ID}.mjs`),
    `export default ({ z }) => ({
  id: '${STUCK_STRATEGY_ID}',
  name: 'Hangs after N candles',
  description: 'Engine test fixture: an endless loop in strategy code',
  params: z.object({ after: z.number().int().default(0) }),
  indicators: [],
  warmup: () => 0,
  create: (p) => {
    let n = 0;
    return {
      update() {
        if (++n > p.after) for (;;);
        return { action: 'hold', strength: 0, indicators: {} };
      },
    };
  },
});
`,
  );
}
