/** Which log lines the Logs view shows, and the text "Copy" puts on the clipboard. */
import type { LogLine } from '../../../core/api/schemas.ts';

const RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

export interface LogFilter {
  /** The least severe level shown. */
  level: LogLine['level'];
  /** Lines that mention this symbol (empty: all). */
  symbol: string;
  text: string;
}

export function filterLogs(lines: readonly LogLine[], f: LogFilter): LogLine[] {
  const text = f.text.trim().toLowerCase();
  return lines.filter(
    (l) =>
      RANK[l.level] >= RANK[f.level] &&
      (!f.symbol || l.message.includes(f.symbol)) &&
      (!text || `${l.scope} ${l.message}`.toLowerCase().includes(text)),
  );
}

export function logsText(lines: readonly LogLine[]): string {
  return lines
    .map(
      (l) => `${new Date(l.ts).toISOString()} ${l.level.toUpperCase()} [${l.scope}] ${l.message}`,
    )
    .join('\n');
}
