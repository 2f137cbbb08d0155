/**
 * Takes the network away from strategy code in a compute worker, as far as the runtime
 * lets us. Node 25's permission model denies it outright (no --allow-net is ever given);
 * Node 24's does not cover the network, so before user files are imported this worker
 * refuses the network modules (`import 'node:net'`, `require('http')`,
 * `process.getBuiltinModule('dns')`) and removes the network globals (`fetch`,
 * `WebSocket`, `EventSource`). What remains on Node 24 (documented in docs/strategies.md):
 * code that digs a socket class out of an object it can reach (e.g. the prototype of
 * `process.stderr` when that is a pipe) can still open a connection.
 */
import { registerHooks } from 'node:module';

const NETWORK_MODULES = new Set([
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'inspector',
  'child_process',
  'cluster',
  'worker_threads',
]);

const NETWORK_GLOBALS = ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest'];

function isNetworkModule(specifier: string): boolean {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return NETWORK_MODULES.has(bare.split('/')[0]!);
}

function denied(specifier: string): Error {
  const err = new Error(
    `${specifier} is not available to strategies: a strategy gets candles and returns signals, without network or processes`,
  );
  (err as NodeJS.ErrnoException).code = 'ERR_ACCESS_DENIED';
  return err;
}

let installed = false;

/** Idempotent; call before importing any user file. */
export function denyNetwork(): void {
  if (installed) return;
  installed = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (isNetworkModule(specifier)) throw denied(specifier);
      return nextResolve(specifier, context);
    },
  });
  const getBuiltinModule = process.getBuiltinModule.bind(process);
  Object.defineProperty(process, 'getBuiltinModule', {
    value: (id: string) => {
      if (isNetworkModule(id)) throw denied(id);
      return getBuiltinModule(id);
    },
    writable: false,
    configurable: false,
  });
  for (const name of NETWORK_GLOBALS) {
    if (name in globalThis)
      Object.defineProperty(globalThis, name, {
        value: undefined,
        writable: false,
        configurable: false,
      });
  }
}
