/**
 * The shape of a `botdesk` sub-command and what the program hands it. Each
 * command lives in src/headless/commands/<name>.ts and exports one `Command`
 * (e.g. `export const runCommand: Command`); program.ts parses arguments with
 * node:util parseArgs from the command's `options`, renders its --help, and maps
 * errors to exit codes (0 ok, 1 runtime error, 2 usage error).
 */
import { BotDeskError } from '../core/api/errors.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in --help, e.g. `--port PORT`. */
  valueName?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export interface CommandContext {
  /** The data folder: --data-dir, else $BOTDESK_DATA_DIR, else ~/.botdesk. */
  dataDir: string;
  /** --json: exactly one JSON document on stdout (via `output`), everything else on stderr. */
  json: boolean;
  values: OptionValues;
  positionals: string[];
  io: CliIo;
  /** A line for the operator, on stderr. */
  log(message: string): void;
  /** The command's result: `json` as one document with --json, else `human` on stdout. */
  output(human: string, json: unknown): void;
  /** Aborted on SIGINT/SIGTERM for commands with `longRunning` (a second signal exits at once). */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line after `botdesk <name>`, e.g. `[--url URL] [--token TOKEN]`. */
  usage: string;
  /** Extra help paragraphs (examples, defaults, files). */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Accepts positional arguments (else they are a usage error). */
  positionals?: boolean;
  /** Runs until stopped: the program turns SIGINT/SIGTERM into `signal` instead of exiting. */
  longRunning?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** Bad command-line usage: exit code 2 and a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** An integer option within [min, max]; a malformed value is a usage error. */
export function intOption(
  values: OptionValues,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return range.fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(
      `--${name} must be an integer from ${range.min} to ${range.max} (got '${raw}')`,
    );
  }
  return n;
}

/** A command whose engine does not exist yet: a clear error, never fake output. */
export function notImplementedYet(what: string): never {
  throw new BotDeskError('NOT_IMPLEMENTED', `${what} is not implemented yet`);
}
