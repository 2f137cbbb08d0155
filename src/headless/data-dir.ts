/** Where the headless CLI keeps settings, journals, candles, strategies and the server token. */
import { homedir } from 'node:os';
import path from 'node:path';

export function resolveDataDir(
  flag: string | undefined,
  env: Record<string, string | undefined>,
): string {
  const chosen = flag ?? env.BOTDESK_DATA_DIR;
  return path.resolve(chosen && chosen.length > 0 ? chosen : path.join(homedir(), '.botdesk'));
}
