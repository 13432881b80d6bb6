/**
 * Field data at rest on the engineer's laptop: the saved inspection holds the customer's addresses
 * and configuration, which must not leave the site in clear (service plan 3.4.5). Sealed with
 * AES-256-GCM (authenticated: a changed byte or a wrong key is refused, never read as garbage)
 * under a key derived by scrypt from the field key (XUNJIAN_FIELD_KEY), with a fresh salt and IV
 * per file. `inspect upload` opens it with the same key.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { XunjianError } from '../../schemas/index.js';

/** The environment variable holding the field key (a passphrase). */
export const FIELD_KEY_ENV = 'XUNJIAN_FIELD_KEY';

const FORMAT = 'xunjian-field-sealed/1';
// scrypt N=2^15, r=8, p=1: 32 MiB and ~250 ms of CPU per file (measured on the CI machine); slows guessing of a weak passphrase.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

interface Sealed {
  format: typeof FORMAT;
  kdf: 'scrypt';
  n: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

function keyOf(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase, salt, 32, { ...params, maxmem: SCRYPT.maxmem });
}

/** The text sealed: a small JSON envelope, base64 fields. */
export function sealInspection(text: string, passphrase: string): string {
  if (!passphrase) throw new XunjianError('USAGE', `${FIELD_KEY_ENV} is empty: give a passphrase to seal the inspection with`);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(passphrase, salt, SCRYPT), iv);
  cipher.setAAD(Buffer.from(FORMAT));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const sealed: Sealed = {
    format: FORMAT,
    kdf: 'scrypt',
    n: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return `${JSON.stringify(sealed)}\n`;
}

/** Whether a parsed file is a sealed inspection. */
export const isSealed = (data: unknown): data is Sealed =>
  data !== null && typeof data === 'object' && (data as { format?: unknown }).format === FORMAT;

/** The inspection text inside a sealed file; a usage error without the key or with a wrong one. */
export function openSealed(sealed: Sealed, passphrase: string | undefined, file: string): string {
  if (!passphrase) throw new XunjianError('USAGE', `${file} is encrypted: set ${FIELD_KEY_ENV} to the key it was saved with`);
  const params = { N: sealed.n, r: sealed.r, p: sealed.p };
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0) || params.N > SCRYPT.N * 4) {
    throw new XunjianError('VALIDATION', `${file}: not a sealed inspection this version can open`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(passphrase, Buffer.from(sealed.salt, 'base64'), params), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(FORMAT));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new XunjianError('USAGE', `${file}: wrong ${FIELD_KEY_ENV}, or the file was changed (it cannot be opened)`);
  }
}
