import { CredentialBox, parseCredentialKey } from '../../poller/index.js';
import { badRequest } from '../../errors.js';
import type { CollectorConfig } from '../../../schemas/index.js';

/*
 * Channel secrets are sealed like SNMP credentials, with the same key: one key for every secret
 * the collector keeps at rest (`snmp.credentialKey` or XUNJIAN_SNMP_KEY, 32 bytes, base64 or hex),
 * so a backup is restored with one key, not several.
 */

export const CHANNEL_KEY_HELP =
  'no credential key is configured, so channel secrets cannot be sealed: set snmp.credentialKey in the collector configuration or the environment variable XUNJIAN_SNMP_KEY to 32 random bytes in base64 or hex (e.g. `openssl rand -base64 32`), then restart the collector';

/** The box of a configuration's key (`snmp.credentialKey`; the config loader puts XUNJIAN_SNMP_KEY there). */
export function channelBox(config: Pick<CollectorConfig, 'snmp'> | undefined): CredentialBox {
  return new CredentialBox(parseCredentialKey(config?.snmp?.credentialKey));
}

export function sealSecrets(box: CredentialBox, secrets: Record<string, string>): string {
  if (!box.ready) throw badRequest('credential_key_missing', CHANNEL_KEY_HELP, { key: 'credentialKeyMissing', args: {} });
  return box.seal(JSON.stringify(secrets));
}

/** Opens a channel's secrets; the error names the channel and what to do, never a value. */
export function openSecrets(box: CredentialBox, name: string, sealed: string): Record<string, string> {
  if (!box.ready) throw badRequest('credential_key_missing', CHANNEL_KEY_HELP, { key: 'credentialKeyMissing', args: {} });
  try {
    return JSON.parse(box.open(sealed)) as Record<string, string>;
  } catch {
    throw badRequest('credential_key_mismatch', `cannot open the secrets of channel ${name}: the configured credential key is not the one they were sealed with (restore the key, or PATCH the channel's secrets again)`, { key: 'credentialKeyMismatch', args: {} });
  }
}
