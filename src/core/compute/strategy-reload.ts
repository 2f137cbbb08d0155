/**
 * Hot reload of user strategies: the folder is watched, and once an editor has finished
 * writing, every worker reloads it and rebuilds its pairs that run user strategies. A
 * worker that may not read a new file (its read grants were fixed at spawn) is replaced
 * instead. Apart from the pool so the watcher and its timer have one owner to close them.
 */
import { watch, type FSWatcher } from 'node:fs';
import { BotDeskError } from '../api/errors.ts';
import { ensurePrivateDir } from '../host/private-files.ts';
import { getBuiltinStrategy } from '../strategy/builtin/index.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { WORKER_LOST, type PairEntry, type WorkerSlot } from './worker-slot.ts';
import type { Workers } from './workers.ts';

export class StrategyReloader {
  readonly #workers: Workers;
  readonly #rebuild: (w: WorkerSlot, pairs: PairEntry[], blame: boolean) => Promise<boolean>;
  #watcher: FSWatcher | null = null;
  #reloadTimer: NodeJS.Timeout | null = null;

  constructor(
    dir: string,
    workers: Workers,
    rebuild: (w: WorkerSlot, pairs: PairEntry[], blame: boolean) => Promise<boolean>,
  ) {
    this.#workers = workers;
    this.#rebuild = rebuild;
    this.#watch(dir);
  }

  close(): void {
    this.#watcher?.close();
    if (this.#reloadTimer !== null) clearTimeout(this.#reloadTimer);
  }

  #watch(dir: string): void {
    ensurePrivateDir(dir);
    this.#watcher = watch(dir, () => {
      if (this.#reloadTimer !== null) clearTimeout(this.#reloadTimer);
      // Editors write files in several steps; reload once they are done.
      this.#reloadTimer = setTimeout(() => {
        this.#reloadTimer = null;
        void this.#reload();
      }, 150);
    });
    this.#watcher.on('error', (err) =>
      this.#workers.log('warn', `watching ${dir} failed: ${err.message}`),
    );
  }

  async #reload(): Promise<void> {
    this.#workers.retryUserStrategies();
    await Promise.all(
      this.#workers.slots.map(async (w) => {
        if (this.#workers.closed || w.state !== 'ready') return;
        const user = this.#workers.userFolder();
        if (user?.readPaths.some((p) => !w.granted.has(p))) {
          // A new file: this process may not read it. A new process may (its pairs are rebuilt).
          this.#workers.log(
            'info',
            `compute worker ${w.index} restarts to load new user strategy files`,
          );
          this.#workers.retire(
            w,
            new BotDeskError(
              'COMPUTE_ERROR',
              `compute worker ${w.index} restarted to load new user strategy files`,
              WORKER_LOST,
            ),
          );
          return;
        }
        try {
          const { strategies } = await this.#workers.request(
            w,
            {
              v: PROTOCOL_VERSION,
              type: 'reload',
              id: this.#workers.nextId(),
              strategies: user?.folder ?? null,
            },
            this.#workers.replayDeadlineMs,
            'described',
          );
          if (w.index === 0) {
            for (const s of strategies)
              if (s.error !== undefined) this.#workers.log('warn', `user strategy ${s.error}`);
            this.#workers.log(
              'info',
              `user strategies reloaded: ${
                strategies
                  .filter((s) => s.origin === 'user' && s.error === undefined)
                  .map((s) => s.id)
                  .join(', ') || 'none'
              }`,
            );
          }
        } catch (err) {
          if (!this.#workers.closed)
            this.#workers.log(
              'warn',
              `compute worker ${w.index} could not reload user strategies: ${(err as Error).message}`,
            );
          return;
        }
        const affected = [...w.pairs].filter(
          (p) => getBuiltinStrategy(p.strategy.id) === undefined,
        );
        for (const pair of affected) pair.status = 'rebuilding';
        await this.#rebuild(w, affected, false);
      }),
    );
  }
}
