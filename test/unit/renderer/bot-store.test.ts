import { describe, expect, it } from 'vitest';
import { availableCommands, createBotStore } from '../../../src/renderer/src/state/bot-store.ts';
import { botStatus } from './fixtures.ts';

describe('bot store', () => {
  it('keeps the newest status and drops stale snapshots', () => {
    const store = createBotStore();
    store.getState().applyStatus(botStatus({ state: 'running', rev: 5 }));
    store.getState().applyStatus(botStatus({ state: 'starting', rev: 4 }));
    expect(store.getState().status).toMatchObject({ state: 'running', rev: 5 });
    store.getState().applyStatus(botStatus({ state: 'stopping', rev: 6 }));
    expect(store.getState().status?.state).toBe('stopping');
  });

  it('takes the status of a restarted server although its revision counter started again at 0', () => {
    const store = createBotStore();
    store.getState().applyStatus(botStatus({ state: 'running', rev: 900, instance: 'a' }));
    store.getState().applyStatus(botStatus({ state: 'idle', rev: 1, instance: 'b' }));
    expect(store.getState().status).toMatchObject({ state: 'idle', rev: 1, instance: 'b' });
    store.getState().applyStatus(botStatus({ state: 'running', rev: 0, instance: 'b' }));
    expect(store.getState().status?.state).toBe('idle');
  });

  it('tracks a command in flight and its readable failure', () => {
    const store = createBotStore();
    store.getState().commandStarted('start');
    expect(store.getState().pending).toBe('start');
    store.getState().commandFinished('Start failed: symbol must look like BASE/QUOTE');
    expect(store.getState()).toMatchObject({
      pending: null,
      commandError: 'Start failed: symbol must look like BASE/QUOTE',
    });
    store.getState().commandStarted('start');
    expect(store.getState().commandError).toBeNull();
  });

  it('enables buttons by state, and none while disconnected or busy', () => {
    const store = createBotStore();
    store.getState().setConnection('connected');
    const can = () => availableCommands(store.getState());
    store.getState().applyStatus(botStatus({ state: 'idle', rev: 1 }));
    expect(can()).toEqual({ start: true, stop: false, pause: false, resume: false, reset: true });
    store.getState().applyStatus(botStatus({ state: 'running', rev: 2 }));
    expect(can()).toEqual({ start: false, stop: true, pause: true, resume: false, reset: false });
    store.getState().applyStatus(botStatus({ state: 'running', entriesPaused: true, rev: 3 }));
    expect(can()).toEqual({ start: false, stop: true, pause: false, resume: true, reset: false });
    store.getState().applyStatus(botStatus({ state: 'error', rev: 4 }));
    expect(can()).toEqual({ start: true, stop: false, pause: false, resume: false, reset: true });
    store.getState().commandStarted('start');
    expect(can().start).toBe(false);
    store.getState().commandFinished();
    store.getState().setConnection('disconnected', 'socket closed');
    expect(can()).toEqual({ start: false, stop: false, pause: false, resume: false, reset: false });
  });
});
