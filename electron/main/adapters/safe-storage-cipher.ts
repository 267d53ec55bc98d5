import type { SafeStorage } from 'electron';
import type { TokenCipher } from '../services/credentials-service.ts';

/** The part of Electron's `safeStorage` PassDesk uses: the asynchronous API only. */
export type AsyncSafeStorage = Pick<
  SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
>;

/** The Linux password stores PassDesk does not rely on, each with the reason. */
const REFUSED_LINUX_BACKENDS: Partial<
  Record<ReturnType<SafeStorage['getSelectedStorageBackend']>, string>
> = {
  basic_text:
    'no system keychain (Secret Service / KWallet) was found, so Electron would store it with a fixed key (basic_text)',
  unknown:
    'Electron could not tell which system keychain it would use (it was asked before PassDesk was ready)',
};

function unavailableWhy(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'the macOS Keychain is not available';
    case 'win32':
      return 'Windows data protection (DPAPI) is not available';
    case 'linux':
      return 'no system keychain (Secret Service / KWallet) could be reached';
    default:
      return 'the system keychain is not available';
  }
}

/**
 * Electron's `safeStorage` as PassDesk's `TokenCipher`. Encryption counts as available only
 * when the system keychain does it: on Linux, Electron's fallback to a fixed key
 * (`basic_text`) is refused, as is a store it cannot name yet (`unknown`). Call it after the
 * app is ready.
 */
export function safeStorageCipher(
  safeStorage: AsyncSafeStorage,
  platform: NodeJS.Platform,
): TokenCipher {
  return {
    async availability() {
      if (!(await safeStorage.isAsyncEncryptionAvailable()))
        return { encrypted: false, why: unavailableWhy(platform) };
      if (platform === 'linux') {
        const why = REFUSED_LINUX_BACKENDS[safeStorage.getSelectedStorageBackend()];
        if (why !== undefined) return { encrypted: false, why };
      }
      return { encrypted: true };
    },
    async encrypt(plain) {
      return new Uint8Array(await safeStorage.encryptStringAsync(plain));
    },
    async decrypt(cipher) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
        Buffer.from(cipher.buffer, cipher.byteOffset, cipher.byteLength),
      );
      return { plain: result, shouldReEncrypt };
    },
  };
}
