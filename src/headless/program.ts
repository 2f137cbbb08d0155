/**
 * The `botdesk` program: picks the sub-command, parses its options with
 * node:util parseArgs, prints help, and turns outcomes into exit codes
 * (0 ok, 1 runtime error, 2 usage error). cli.ts is the executable entry.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { toErrorInfo } from '../core/api/errors.ts';
import {
  UsageError,
  type CliIo,
  type Command,
  type CommandContext,
  type OptionSpec,
} from './command.ts';
import { resolveDataDir } from './data-dir.ts';
import pkg from '../../package.json' with { type: 'json' };

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'data-dir': {
    type: 'string',
    valueName: 'DIR',
    description: 'data folder (default $BOTDESK_DATA_DIR or ~/.botdesk)',
  },
  json: { type: 'boolean', description: 'print one JSON document on stdout; logs go to stderr' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/** Options of `botdesk` itself, without a command. */
const PROGRAM_OPTIONS: Record<string, OptionSpec> = {
  version: { type: 'boolean', description: 'print the version' },
};

const EXIT_OK = 0;
const EXIT_RUNTIME = 1;
const EXIT_USAGE = 2;
const REPEAT_SIGNAL_GRACE_MS = 1000;

function parseConfig(options: Record<string, OptionSpec>): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return config;
}

function flagOf(name: string, spec: OptionSpec): string {
  return `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.valueName ? ` ${spec.valueName}` : ''}`;
}

/** Help lines of `options`, aligned to the widest flag of all `sets` shown on one page. */
function optionLines(
  options: Record<string, OptionSpec>,
  ...sets: Record<string, OptionSpec>[]
): string[] {
  const all = [options, ...sets].flatMap((set) => Object.entries(set));
  const width = Math.max(0, ...all.map(([name, spec]) => flagOf(name, spec).length)) + 2;
  return Object.entries(options).map(
    ([name, spec]) =>
      `  ${flagOf(name, spec).padEnd(width)}${spec.description}${spec.multiple ? ' (repeatable)' : ''}`,
  );
}

export function programHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: botdesk <command> [options]',
    '',
    'Run and supervise BotDesk trading bots without the desktop app (paper trading by default).',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS, PROGRAM_OPTIONS),
    ...optionLines(PROGRAM_OPTIONS, GLOBAL_OPTIONS),
    '',
    "Run 'botdesk <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 runtime error, 2 usage error.',
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const own =
    Object.keys(command.options).length > 0
      ? ['Options:', ...optionLines(command.options, GLOBAL_OPTIONS), '']
      : [];
  return [
    `Usage: botdesk ${command.name} ${command.usage}`.trimEnd(),
    '',
    command.summary,
    '',
    ...(command.details ? [command.details, ''] : []),
    ...own,
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS, command.options),
    '',
  ].join('\n');
}

function parseFailure(err: unknown): UsageError | null {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
    ? new UsageError((err as Error).message)
    : null;
}

/** Split off the sub-command: the first positional, wherever global options sit. */
function findCommand(argv: readonly string[]): { name: string | null; rest: string[] } {
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseConfig(GLOBAL_OPTIONS),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find((t) => t.kind === 'positional');
  if (!first) return { name: null, rest: [...argv] };
  return { name: first.value, rest: argv.filter((_, i) => i !== first.index) };
}

function withSignals(longRunning: boolean, io: CliIo): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (!longRunning) return { signal: controller.signal, dispose: () => {} };
  let firstAt = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Exit hooks in dependencies (when-exit, under conf) re-raise the signal they saw at
      // once; only a signal sent later is the operator insisting.
      if (performance.now() - firstAt < REPEAT_SIGNAL_GRACE_MS) return;
      io.stderr(`botdesk: ${name} again, exiting now\n`);
      process.exit(130);
    }
    firstAt = performance.now();
    io.stderr(`botdesk: ${name} received, stopping (send it again to exit at once)\n`);
    controller.abort(new Error(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export async function runCli(
  argv: readonly string[],
  commands: readonly Command[],
  io: CliIo,
): Promise<number> {
  let json = argv.includes('--json');
  let wroteStdout = false;
  const stdout = (text: string) => {
    wroteStdout = true;
    io.stdout(text);
  };
  const fail = (code: number, error: { code: string; message: string }, hint = ''): number => {
    io.stderr(`botdesk: ${error.message}\n${hint}`);
    // --json promises one document: an error after the command printed its own stays on stderr.
    if (json && !wroteStdout) {
      stdout(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
    }
    return code;
  };
  let command: Command | undefined;
  try {
    const { name, rest } = findCommand(argv);
    if (name === null) {
      const { values } = parseArgs({
        args: rest,
        options: parseConfig({ ...GLOBAL_OPTIONS, ...PROGRAM_OPTIONS }),
        strict: true,
      });
      if (values.help) {
        io.stdout(programHelp(commands));
        return EXIT_OK;
      }
      if (values.version) {
        io.stdout(`${pkg.version}\n`);
        return EXIT_OK;
      }
      throw new UsageError('missing command');
    }
    command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'`);
    const { values, positionals } = parseArgs({
      args: rest,
      options: parseConfig({ ...GLOBAL_OPTIONS, ...command.options }),
      strict: true,
      allowPositionals: command.positionals ?? false,
    });
    json = values.json === true;
    if (values.help) {
      io.stdout(commandHelp(command));
      return EXIT_OK;
    }
    const dataDirFlag = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
    // An empty value is a mistake (an unset shell variable), never "the default folder".
    if (dataDirFlag?.trim() === '') throw new UsageError('--data-dir needs a folder');
    const signals = withSignals(command.longRunning ?? false, io);
    const ctx: CommandContext = {
      dataDir: resolveDataDir(dataDirFlag, io.env),
      json,
      values,
      positionals,
      io: { ...io, stdout },
      log: (message) => io.stderr(`${message}\n`),
      output: (human, doc) =>
        stdout(
          json ? `${JSON.stringify(doc, null, 2)}\n` : human.endsWith('\n') ? human : `${human}\n`,
        ),
      signal: signals.signal,
    };
    try {
      return await command.run(ctx);
    } finally {
      signals.dispose();
    }
  } catch (err) {
    const usage = err instanceof UsageError ? err : parseFailure(err);
    if (usage) {
      const help = command ? `botdesk ${command.name} --help` : 'botdesk --help';
      return fail(
        EXIT_USAGE,
        { code: 'USAGE', message: usage.message },
        `Run '${help}' for usage.\n`,
      );
    }
    return fail(EXIT_RUNTIME, toErrorInfo(err));
  }
}
