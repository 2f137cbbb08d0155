/** `botdesk strategies`: the built-in and user strategies with their parameters. */
import path from 'node:path';
import type { StrategyInfo } from '../../core/api/schemas.ts';
import type { Command } from '../command.ts';
import { schemaText } from '../json-schema-text.ts';

export function formatStrategies(list: readonly StrategyInfo[]): string {
  return list
    .map((s) => {
      const head = `${s.id}  ${s.name}  [${s.origin}, warmup ${s.warmup} candles]`;
      const lines = [head];
      if (s.description) lines.push(`  ${s.description}`);
      if (s.error) lines.push(`  error: ${s.error}`);
      else lines.push(`  params: ${schemaText(s.paramsSchema, '  ')}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

export const strategiesCommand: Command = {
  name: 'strategies',
  summary: 'List the built-in and user strategies with their parameters.',
  usage: '',
  details:
    'User strategies are the files in <data-dir>/strategies; a file that fails to load is listed with its error.\n' +
    'With --json, prints the StrategyInfo array (parameters as JSON Schema).',
  options: {},
  async run(ctx) {
    const { listStrategies } = await import('../../core/strategy/registry.ts');
    const list = await listStrategies(path.join(ctx.dataDir, 'strategies'));
    ctx.output(formatStrategies(list), list);
    return 0;
  },
};
