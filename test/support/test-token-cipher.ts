import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TokenCipher } from '../../electron/main/services/credentials-service.ts';

/**
 * A real cipher for hosts without Electron's safeStorage (the Chromium test host, tests):
 * AES-256-GCM under a key that lives only in this process, so what is stored is real
 * ciphertext and a copy taken to another process cannot be decrypted.
 */
export function testTokenCipher(
  availability: Awaited<ReturnType<TokenCipher['availability']>> = { encrypted: true },
): TokenCipher {
  const key = randomBytes(32);
  return {
    availability: () => Promise.resolve(availability),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decrypt(sealed) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      return Promise.resolve({ plain: plain.toString('utf8'), shouldReEncrypt: false });
    },
  };
}
