import { BotDeskError } from '../../../core/api/errors.ts';

/** A thrown error as one readable sentence (BotDeskError messages are written for people). */
export function describeError(err: unknown): string {
  if (err instanceof BotDeskError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
