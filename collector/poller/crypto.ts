import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { badRequest } from '../errors.js';

/**
 * SNMP credentials at rest: AES-256-GCM, a fresh 12-byte nonce per value, stored as
 * `v1:<nonce b64>:<tag b64>:<ciphertext b64>`. The key comes from `snmp.credentialKey` or the
 * environment (XUNJIAN_SNMP_KEY): 32 bytes as 64 hex digits or base64.
 */
export const KEY_HELP =
  'no SNMP credential key is configured: set snmp.credentialKey in the collector configuration or the environment variable XUNJIAN_SNMP_KEY to 32 random bytes in base64 or hex (e.g. `openssl rand -base64 32`), then restart the collector';

export function parseCredentialKey(text: string | undefined): Buffer | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('the SNMP credential key must be 32 bytes (64 hex digits or 44 base64 characters)');
  return key;
}

export class CredentialBox {
  constructor(private readonly key: Buffer | undefined) {}

  get ready(): boolean {
    return this.key !== undefined;
  }

  private need(): Buffer {
    if (!this.key) throw badRequest('snmp_key_missing', KEY_HELP);
    return this.key;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.need(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
  }

  /** Throws when the key is missing or is not the one the value was sealed with. */
  open(sealed: string): string {
    const [v, iv, tag, body] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed credential');
    const decipher = createDecipheriv('aes-256-gcm', this.need(), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('cannot open the sealed SNMP credentials: the configured credential key is not the one they were sealed with (restore the key, or PATCH the secrets again)');
    }
  }
}
