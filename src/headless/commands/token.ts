/**
 * `botdesk token`: show or rotate the tokens `botdesk serve` accepts. Rotation
 * replaces the token files (atomically, mode 0600); a server running on the same
 * data folder takes the new tokens at once and disconnects every client still
 * using an old one. Tokens are printed only by `show`, and only the one asked for.
 */
import { BotDeskError } from '../../core/api/errors.ts';
import { stringOption, UsageError, type Command } from '../command.ts';
import {
  newToken,
  READ_TOKEN_FILE,
  readReadTokenFile,
  readServerInfo,
  readTokenFile,
  TOKEN_FILE,
  writeTokenFile,
} from '../server-files.ts';

type Which = 'control' | 'read';

function whichOf(raw: string | undefined, fallback: Which | 'all'): Which | 'all' {
  const value = raw ?? fallback;
  if (value === 'control' || value === 'read' || value === 'all') return value;
  throw new UsageError(`--which takes control, read or all (got '${value}')`);
}

const FILES: Record<Which, string> = { control: TOKEN_FILE, read: READ_TOKEN_FILE };

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Show or rotate the tokens of `botdesk serve` (control and read-only).',
  usage: 'show|rotate [--which control|read|all]',
  details: [
    `The control token (${TOKEN_FILE}) may do everything; the read-only token (${READ_TOKEN_FILE})`,
    'may watch (status, journals, events) but not start, stop or change anything.',
    '  botdesk token show [--which read]     print one token (default: control), e.g. for the desktop app',
    '  botdesk token rotate [--which ...]    new random tokens (default: all); a running server on this',
    '                                        data folder switches at once and disconnects old-token clients',
  ].join('\n'),
  positionals: true,
  options: {
    which: {
      type: 'string',
      valueName: 'WHICH',
      description: 'control, read or all (show: one of control/read)',
    },
  },
  async run(ctx) {
    const [action, ...extra] = ctx.positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (action === 'show') {
      const which = whichOf(stringOption(ctx.values, 'which'), 'control');
      if (which === 'all') throw new UsageError('show prints one token: --which control or read');
      const token =
        which === 'control' ? readTokenFile(ctx.dataDir) : readReadTokenFile(ctx.dataDir);
      if (token === null) {
        throw new BotDeskError(
          'NOT_FOUND',
          `no ${which} token in ${ctx.dataDir} yet: \`botdesk serve\` makes one on first start, or run \`botdesk token rotate\``,
        );
      }
      ctx.output(token, { which, token });
      return 0;
    }
    if (action === 'rotate') {
      const which = whichOf(stringOption(ctx.values, 'which'), 'all');
      const rotated = (which === 'all' ? (['control', 'read'] as const) : [which]).map((w) => ({
        which: w,
        file: writeTokenFile(ctx.dataDir, FILES[w], newToken()),
      }));
      const server = readServerInfo(ctx.dataDir);
      const note =
        server === null
          ? 'No server is recorded on this data folder; the next `botdesk serve` uses the new tokens.'
          : server.tokens === 'environment'
            ? `The server recorded here (pid ${server.pid}) took its control token from --token-file or $BOTDESK_TOKEN (or its read-only token from $BOTDESK_READ_TOKEN): rotating the files does not reach it; restart it with the new tokens.`
            : `The server recorded here (pid ${server.pid}) switches to the new tokens at once and disconnects clients using the old ones.`;
      ctx.output(
        [...rotated.map((r) => `new ${r.which} token written to ${r.file}`), note].join('\n'),
        { rotated, server: server === null ? null : { pid: server.pid, url: server.url } },
      );
      return 0;
    }
    throw new UsageError(
      action === undefined ? 'missing action: show or rotate' : `unknown action '${action}'`,
    );
  },
};
