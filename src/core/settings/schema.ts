/**
 * Settings validation, migration by `schemaVersion` and patching, shared by every
 * SettingsStore (conf in headless, electron-store in the desktop app) so the rules
 * live in one place.
 */
import type { z } from 'zod';
import { BotDeskError } from '../api/errors.ts';
import { Settings } from '../api/schemas.ts';
import { SettingsPatch } from '../api/contract.ts';

export const CURRENT_SCHEMA_VERSION = 1;

type RawSettings = Record<string, unknown>;

/**
 * One step per version: `MIGRATIONS[n]` turns a version-n document into version n+1.
 * Version 0 is a document written before settings carried a version: same fields,
 * no `schemaVersion`, so the step only stamps it.
 */
const MIGRATIONS: Record<number, (raw: RawSettings) => RawSettings> = {
  0: (raw) => ({ ...raw, schemaVersion: 1 }),
};

export interface MigrationResult {
  settings: Settings;
  /** Versions the document went through, e.g. [0, 1]; empty when it was current. */
  steps: number[];
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'settings'}: ${i.message}`)
    .join('; ');
}

/** Raw stored document → current Settings. Throws SETTINGS_ERROR when it cannot be read. */
export function migrateSettings(raw: unknown): MigrationResult {
  if (raw === undefined || raw === null) return { settings: Settings.parse({}), steps: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BotDeskError('SETTINGS_ERROR', 'settings file does not hold a JSON object');
  }
  let doc = raw as RawSettings;
  const stated = doc.schemaVersion ?? 0;
  if (typeof stated !== 'number' || !Number.isInteger(stated) || stated < 0) {
    throw new BotDeskError(
      'SETTINGS_ERROR',
      `settings schemaVersion ${JSON.stringify(stated)} is not a version number`,
    );
  }
  if (stated > CURRENT_SCHEMA_VERSION) {
    throw new BotDeskError(
      'SETTINGS_ERROR',
      `settings were written by a newer BotDesk (schemaVersion ${stated}, this build reads up to ${CURRENT_SCHEMA_VERSION})`,
    );
  }
  const steps: number[] = [];
  for (let v = stated; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new BotDeskError('INTERNAL', `no settings migration from version ${v}`);
    doc = step(doc);
    steps.push(v);
  }
  if (steps.length > 0) steps.push(CURRENT_SCHEMA_VERSION);
  const parsed = Settings.safeParse(doc);
  if (!parsed.success)
    throw new BotDeskError('SETTINGS_ERROR', `invalid settings: ${describeIssues(parsed.error)}`);
  return { settings: parsed.data, steps };
}

/** Validate a patch and apply it; throws INVALID_INPUT and leaves `current` untouched on bad input. */
export function applySettingsPatch(current: Settings, patch: unknown): Settings {
  const parsedPatch = SettingsPatch.safeParse(patch);
  if (!parsedPatch.success) {
    throw new BotDeskError('INVALID_INPUT', `settings: ${describeIssues(parsedPatch.error)}`);
  }
  const p = parsedPatch.data;
  const next = {
    ...current,
    bot: p.bot ? { ...current.bot, ...p.bot } : current.bot,
    resumeOnLaunch: { ...current.resumeOnLaunch, ...p.resumeOnLaunch },
    ui: {
      ...current.ui,
      ...p.ui,
      notifications: { ...current.ui.notifications, ...p.ui?.notifications },
    },
  };
  const parsed = Settings.safeParse(next);
  if (!parsed.success)
    throw new BotDeskError('INVALID_INPUT', `settings: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
