/**
 * `botdesk`, the headless CLI (the package's bin, built to out/headless/cli.js).
 * Node 24 also runs this file directly: `node src/headless/cli.ts --help`.
 */
import type { Command } from './command.ts';
import { backtestCommand } from './commands/backtest.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { simCommand } from './commands/sim.ts';
import { statusCommand } from './commands/status.ts';
import { strategiesCommand } from './commands/strategies.ts';
import { tokenCommand } from './commands/token.ts';
import { runCli } from './program.ts';

const commands: Command[] = [
  runCommand,
  serveCommand,
  statusCommand,
  strategiesCommand,
  backtestCommand,
  simCommand,
  tokenCommand,
];

process.exitCode = await runCli(process.argv.slice(2), commands, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
