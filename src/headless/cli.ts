/**
 * `botdesk`, the headless CLI (the package's bin, built to out/headless/cli.js).
 * Node 24 also runs this file directly: `node src/headless/cli.ts --help`.
 */
import { notImplementedYet, type Command } from './command.ts';
import { backtestCommand } from './commands/backtest.ts';
import { serveCommand } from './commands/serve.ts';
import { statusCommand } from './commands/status.ts';
import { strategiesCommand } from './commands/strategies.ts';
import { runCli } from './program.ts';

/** Replaced by src/headless/commands/run.ts (the bot engine's owner) when it lands. */
const runCommand: Command = {
  name: 'run',
  summary: 'Run the bot in this process until stopped (not implemented yet).',
  usage: '',
  options: {},
  run: async () => notImplementedYet('run'),
};

const commands: Command[] = [
  runCommand,
  serveCommand,
  statusCommand,
  strategiesCommand,
  backtestCommand,
];

process.exitCode = await runCli(process.argv.slice(2), commands, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
