/**
 * The saved remote bots, in `<userData>/remote-bots.json` (mode 0600): name,
 * address, pinned certificate fingerprint, the token encrypted by a TokenBox
 * (never in clear) and whether plain ws:// was acknowledged, plus which bot was
 * selected last. A file that cannot be read
 * is moved aside with a notice, as settings are; writes go through a temporary
 * file and a rename so a crash never leaves half a list.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BotDeskError, toErrorInfo } from '../core/api/errors.ts';
import { ensurePrivateDir, writePrivateFileSync } from '../core/host/private-files.ts';
import type { TokenBox } from './token-box.ts';

export const LOCAL_BOT_ID = 'local';
export const BOT_LIST_FILE = 'remote-bots.json';

const SavedBot = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  url: z.string().min(1),
  fingerprint: z.string().nullable(),
  /** base64 of the TokenBox ciphertext */
  token: z.string().min(1),
  /** The user acknowledged that this ws:// bot's token and traffic travel unencrypted. */
  insecure: z.boolean().default(false),
});
export type SavedBot = z.infer<typeof SavedBot>;

const SavedList = z.object({
  version: z.literal(1),
  selected: z.string().default(LOCAL_BOT_ID),
  bots: z.array(SavedBot).default([]),
});
type SavedList = z.infer<typeof SavedList>;

export interface BotListStore {
  /** A notice when the file could not be read and was moved aside. */
  readonly notice: string | null;
  bots(): readonly SavedBot[];
  get(id: string): SavedBot | undefined;
  selected(): string;
  add(entry: {
    name: string;
    url: string;
    token: string;
    fingerprint: string | null;
    insecure?: boolean;
  }): SavedBot;
  remove(id: string): boolean;
  setSelected(id: string): void;
  pin(id: string, fingerprint: string): void;
  /** The decrypted token, only for the connection that presents it. */
  tokenOf(id: string): string;
}

export function createBotListStore(dir: string, box: TokenBox): BotListStore {
  const file = path.join(dir, BOT_LIST_FILE);
  let notice: string | null = null;
  let state: SavedList = { version: 1, selected: LOCAL_BOT_ID, bots: [] };
  try {
    state = SavedList.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      notice = `The list of remote bots could not be read (${toErrorInfo(err).message.split('\n')[0]}); it was moved to ${aside}. Add the bots again.`;
    }
  }

  const save = () => {
    ensurePrivateDir(dir);
    const aside = `${file}.${process.pid}.tmp`;
    writePrivateFileSync(aside, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(aside, file);
  };
  const find = (id: string) => state.bots.find((b) => b.id === id);

  return {
    notice,
    bots: () => state.bots,
    get: find,
    selected: () => state.selected,
    add(entry) {
      const bot: SavedBot = {
        id: randomUUID(),
        name: entry.name,
        url: entry.url,
        fingerprint: entry.fingerprint,
        token: box.encrypt(entry.token).toString('base64'),
        insecure: entry.insecure === true,
      };
      state = { ...state, bots: [...state.bots, bot] };
      save();
      return bot;
    },
    remove(id) {
      if (!find(id)) return false;
      state = {
        ...state,
        bots: state.bots.filter((b) => b.id !== id),
        selected: state.selected === id ? LOCAL_BOT_ID : state.selected,
      };
      save();
      return true;
    },
    setSelected(id) {
      if (id !== LOCAL_BOT_ID && !find(id)) throw new BotDeskError('NOT_FOUND', `no bot '${id}'`);
      state = { ...state, selected: id };
      save();
    },
    pin(id, fingerprint) {
      state = {
        ...state,
        bots: state.bots.map((b) => (b.id === id ? { ...b, fingerprint } : b)),
      };
      save();
    },
    tokenOf(id) {
      const bot = find(id);
      if (!bot) throw new BotDeskError('NOT_FOUND', `no bot '${id}'`);
      try {
        return box.decrypt(Buffer.from(bot.token, 'base64'));
      } catch (err) {
        throw new BotDeskError(
          'UNAUTHORIZED',
          `the saved token of '${bot.name}' cannot be decrypted (${toErrorInfo(err).message}); remove the bot and add it again`,
        );
      }
    },
  };
}
