/**
 * Compute worker process: the only place user strategy code runs. Started by the
 * ComputePool as an Electron utilityProcess (desktop) or a child_process.fork (Node),
 * with a stripped environment and no settings path. Bundled as compute-worker.js.
 */
import { constants, setPriority } from 'node:os';
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import { runJobSteps, type RunOutcome } from '../backtest/job.ts';
import { BUILTIN_STRATEGIES } from '../strategy/builtin/index.ts';
import { loadUserStrategies } from '../strategy/user-strategies.ts';
import { denyNetwork } from './network-guard.ts';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker, type UserFolder } from './protocol.ts';
import { StrategyRuntime } from './strategy-runtime.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(msg: FromWorker): void {
  if (parentPort !== undefined) parentPort.postMessage(msg);
  else process.send?.(msg);
}

/**
 * Sends and waits until the message has left this process: the 'loading' notice must reach
 * the pool even when the import that follows blocks this event loop for good.
 */
function sendFlushed(msg: FromWorker): Promise<void> {
  if (parentPort !== undefined || process.send === undefined) {
    send(msg);
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => {
    process.send!(msg, undefined, undefined, () => resolve());
  });
}

// Below-normal priority: when cores are short, the main process (event loop, orders, UI)
// should win the CPU over strategy number-crunching.
try {
  setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
} catch {
  // Not permitted on this system: run at normal priority.
}

const runtime = new StrategyRuntime();
const reserved = new Set(BUILTIN_STRATEGIES.map((d) => d.id));
let userFolder: UserFolder | null = null;

async function reloadUserStrategies(): Promise<void> {
  if (userFolder !== null) denyNetwork();
  runtime.setUserStrategies(
    userFolder === null
      ? { definitions: [], infos: [] }
      : await loadUserStrategies(userFolder.dir, reserved, {
          names: userFolder.names,
          skip: userFolder.skip,
          onLoading: (file, stamp) => sendFlushed({ type: 'loading', file, stamp }),
        }),
  );
}

/** Runs a backtest job one parameter set at a time, reporting progress between them. */
async function backtest(msg: Extract<ToWorker, { type: 'backtest' }>): Promise<void> {
  try {
    const outcomes: RunOutcome[] = [];
    for (const outcome of runJobSteps(msg.job, (id) => runtime.definition(id))) {
      outcomes.push(outcome);
      send({ type: 'backtest-progress', id: msg.id, done: outcomes.length });
      // Let the progress message out before the next run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    send({ type: 'backtested', id: msg.id, outcomes });
  } catch (err) {
    const error =
      err instanceof BotDeskError
        ? err.toInfo()
        : { code: 'STRATEGY_ERROR' as const, message: toErrorInfo(err).message };
    send({ type: 'failed', id: msg.id, error });
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.v !== PROTOCOL_VERSION) {
    send({
      type: 'fatal',
      message: `protocol version ${String(msg.v)} from the pool, worker speaks ${PROTOCOL_VERSION}`,
    });
    process.exit(2);
  }
  switch (msg.type) {
    case 'init':
      userFolder = msg.strategies;
      await reloadUserStrategies();
      send({ type: 'ready', v: PROTOCOL_VERSION, pid: process.pid });
      return;
    case 'describe':
      send({ type: 'described', id: msg.id, strategies: runtime.describe() });
      return;
    case 'reload':
      userFolder = msg.strategies;
      await reloadUserStrategies();
      send({ type: 'described', id: msg.id, strategies: runtime.describe() });
      return;
    case 'add':
      send(runtime.add(msg));
      return;
    case 'remove':
      runtime.remove(msg.slot);
      send({ type: 'removed', id: msg.id });
      return;
    case 'tick':
      send(runtime.tick(msg));
      return;
    case 'backtest':
      return backtest(msg);
    case 'shutdown':
      process.exit(0);
  }
}

// Requests are handled strictly in order (init and reload are async), which the pool
// relies on to tell which of several queued requests a hung worker was stuck in.
let queue = Promise.resolve();
function enqueue(msg: ToWorker): void {
  queue = queue
    .then(() => handle(msg))
    .catch((err: unknown) => {
      send({ type: 'fatal', message: toErrorInfo(err).message });
      process.exit(1);
    });
}

if (parentPort !== undefined) parentPort.on('message', (e) => enqueue(e.data as ToWorker));
else {
  process.on('message', (m) => enqueue(m as ToWorker));
  // An orphaned worker (the parent died without killing it) exits on its own.
  process.on('disconnect', () => process.exit(0));
}
