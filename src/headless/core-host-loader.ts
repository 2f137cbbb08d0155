/**
 * The core host as the headless commands (`run`, `serve`) build it: conf settings
 * in the data folder, log lines on stderr. The engine is imported only here, on
 * demand, so --help and usage errors stay fast and light.
 */
import type { LogLine } from '../core/api/schemas.ts';
import type { CoreHost } from '../core/host/core-host.ts';
import { formatLogLine } from './log-format.ts';

export interface HeadlessHostOptions {
  dataDir: string;
  /** A line for the operator (stderr). */
  log: (message: string) => void;
  /** Also print debug lines. */
  verbose: boolean;
  /** Resume a bot that was running at the last quit (default true). */
  resume?: boolean;
}

/** Print a log line unless it is debug and we are not verbose. */
export function logPrinter(
  log: (message: string) => void,
  verbose: boolean,
): (line: LogLine) => void {
  return (line) => {
    if (verbose || line.level !== 'debug') log(formatLogLine(line));
  };
}

export async function openHeadlessHost(opts: HeadlessHostOptions): Promise<CoreHost> {
  const [{ createCoreHost }, { createConfSettingsStore }] = await Promise.all([
    import('../core/host/core-host.ts'),
    import('../core/settings/store.ts'),
  ]);
  const settings = createConfSettingsStore(opts.dataDir);
  if (settings.notice) opts.log(`botdesk: ${settings.notice}`);
  return createCoreHost({
    dataDir: opts.dataDir,
    settings,
    ...(opts.resume === undefined ? {} : { resume: opts.resume }),
    logger: logPrinter(opts.log, opts.verbose),
  });
}
