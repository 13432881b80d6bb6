/**
 * A site file's SSH `auth:` resolved to what a session needs: the key file and its passphrase,
 * the ssh-agent, or the password from the environment or the prompt. Shared by servers and HMCs.
 * A reference that cannot be resolved is returned as the reason, for the report.
 */
import type { SshAuth } from '../../schemas/index.js';
import type { SshConnectOptions } from '../sources/ssh/index.js';
import type { SiteServerTarget } from './site-file.js';

export type SshCredentials = Pick<SshConnectOptions, 'privateKeyPath' | 'passphrase' | 'agent' | 'password'>;

export interface CredentialSources {
  env: NodeJS.ProcessEnv;
  /** Asked once per login with `password_prompt: true`. */
  promptPassword?: (server: SiteServerTarget) => Promise<string>;
}

/** `who` is the login as the prompt and messages name it (user and host). */
export async function resolveSshAuth(a: SshAuth, who: SiteServerTarget, from: CredentialSources): Promise<SshCredentials | string> {
  const out: SshCredentials = {};
  if (a.key_file) {
    out.privateKeyPath = a.key_file;
    if (a.passphrase_env) {
      const p = from.env[a.passphrase_env];
      if (p === undefined) return `environment variable ${a.passphrase_env} (passphrase of ${a.key_file}) is not set`;
      out.passphrase = p;
    }
  } else if (a.agent) {
    if (!from.env.SSH_AUTH_SOCK) return 'auth: agent, but no ssh-agent is running (SSH_AUTH_SOCK is not set)';
    out.agent = from.env.SSH_AUTH_SOCK;
  } else if (a.password_env) {
    const p = from.env[a.password_env];
    if (p === undefined) return `environment variable ${a.password_env} (password of ${who.user}@${who.host}) is not set`;
    out.password = p;
  } else if (a.password_prompt) {
    if (!from.promptPassword) return 'password_prompt is set but this run cannot prompt (not a terminal)';
    out.password = await from.promptPassword(who);
  }
  return out;
}
