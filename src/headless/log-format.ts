/** One log line as the CLI prints it on stderr. */
import type { LogLine } from '../core/api/schemas.ts';

export function formatLogLine(line: LogLine): string {
  return `${new Date(line.ts).toISOString()} ${line.level.padEnd(5)} [${line.scope}] ${line.message}`;
}
