/**
 * Encryption of remote bots' tokens at rest, through Electron's safeStorage (the
 * OS keychain: Keychain, DPAPI, libsecret/kwallet). Linux without a keyring falls
 * back to `basic_text`, a fixed key anyone can undo: BotDesk refuses it rather
 * than pretend a token is protected. The rest of the main process sees only
 * `TokenBox`, so it is tested without Electron.
 */
import { safeStorage } from 'electron';
import { BotDeskError } from '../core/api/errors.ts';

export interface TokenBox {
  /** Null when tokens can be stored; otherwise why not (shown to the user). */
  unavailable(): string | null;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export function createSafeStorageTokenBox(platform: NodeJS.Platform = process.platform): TokenBox {
  const unavailable = (): string | null => {
    if (!safeStorage.isEncryptionAvailable())
      return 'the system keychain is not available, so BotDesk cannot store a token safely';
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
      return 'no keyring (gnome-keyring or kwallet) is running, so BotDesk cannot store a token safely';
    return null;
  };
  return {
    unavailable,
    encrypt(plain) {
      const problem = unavailable();
      if (problem) throw new BotDeskError('FORBIDDEN', problem);
      return safeStorage.encryptString(plain);
    },
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
