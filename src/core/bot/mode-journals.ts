/**
 * The bot's journals, one file per trading mode (paper and live never share one), opened on
 * first use and closed at app shutdown. Apart from BotManager because the kill-switch gate
 * also reads them, and must not create a journal file just to show the status.
 */
import { existsSync } from 'node:fs';
import type { TradingMode } from '../api/schemas.ts';
import { Journal, journalFile } from '../journal/journal.ts';

export class ModeJournals {
  readonly #dataDir: string;
  readonly #openJournal: ((mode: TradingMode) => Journal) | undefined;
  readonly #open = new Map<TradingMode, Journal>();

  constructor(dataDir: string, openJournal: ((mode: TradingMode) => Journal) | undefined) {
    this.#dataDir = dataDir;
    this.#openJournal = openJournal;
  }

  /** The journal of a mode, opened (or created) on first use. */
  get(mode: TradingMode): Journal {
    let j = this.#open.get(mode);
    if (!j) {
      j = this.#openJournal
        ? this.#openJournal(mode)
        : new Journal(journalFile(this.#dataDir, mode));
      this.#open.set(mode, j);
    }
    return j;
  }

  /** The journal of a mode if it is open or on disk (or `create`); null when it does not exist yet. */
  existing(mode: TradingMode, create: boolean): Journal | null {
    return create ||
      this.#open.has(mode) ||
      this.#openJournal !== undefined ||
      existsSync(journalFile(this.#dataDir, mode))
      ? this.get(mode)
      : null;
  }

  closeAll(): void {
    for (const j of this.#open.values()) j.close();
    this.#open.clear();
  }
}
