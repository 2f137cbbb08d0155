/**
 * Electron's safeStorage as the core's SecretCipher. Thin on purpose: the key store
 * itself (src/core/secrets/encrypted-store.ts) is Electron-free and tested without it.
 * On Linux, safeStorage without a keyring falls back to a hard-coded password
 * ('basic_text'): that is not encryption, so it counts as unavailable.
 */
import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/secrets/encrypted-store.ts';

type SafeStorage = Pick<
  typeof safeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> & { getSelectedStorageBackend?: () => string };

export function safeStorageCipher(
  storage: SafeStorage = safeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretCipher {
  return {
    unavailableReason() {
      if (!storage.isEncryptionAvailable())
        return 'the operating system offers no encryption to Electron safeStorage (no keychain or keyring)';
      if (platform === 'linux') {
        const backend = storage.getSelectedStorageBackend?.();
        if (backend === 'basic_text' || backend === 'unknown')
          return `no keyring is available (safeStorage backend '${backend}'); install and unlock gnome-keyring or kwallet`;
      }
      return null;
    },
    encrypt: (plain) => storage.encryptString(plain),
    decrypt: (data) => storage.decryptString(data),
  };
}
