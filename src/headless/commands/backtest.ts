/** `botdesk backtest`: the backtester engine is not built yet, so this says so and fails. */
import { notImplementedYet, type Command } from '../command.ts';

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Backtest a strategy on historical candles (not implemented yet).',
  usage: '',
  details:
    'The backtester is not built yet: this command exits with an error instead of printing results.',
  options: {},
  run: async () => notImplementedYet('backtest (the backtester engine)'),
};
