import { XunjianError } from '../../../schemas/index.js';

/** Anything that went wrong talking to a host over SSH. `host` is `name:port`. */
export class SshError extends XunjianError {
  readonly host: string;
  constructor(code: string, host: string, message: string, options?: { cause?: unknown }) {
    super(code, `${host}: ${message}`, options);
    this.host = host;
  }
}

/** The host's key is not the one in known_hosts (possible man-in-the-middle), or is unknown. */
export class SshHostKeyError extends SshError {
  readonly reason: 'changed' | 'unknown';
  constructor(host: string, reason: 'changed' | 'unknown', message: string) {
    super(reason === 'changed' ? 'SSH_HOST_KEY_CHANGED' : 'SSH_HOST_KEY_UNKNOWN', host, message);
    this.reason = reason;
  }
}

/** The server refused every authentication method we offered. */
export class SshAuthError extends SshError {
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super('SSH_AUTH', host, message, options);
  }
}

/** Connecting, the handshake or a command took longer than allowed. */
export class SshTimeoutError extends SshError {
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super('SSH_TIMEOUT', host, message, options);
  }
}

/** The TCP connection was refused, or the host cannot be reached or resolved. */
export class SshUnreachableError extends SshError {
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super('SSH_UNREACHABLE', host, message, options);
  }
}

/** Local configuration we cannot use: an unreadable key file, a missing password variable. */
export class SshConfigError extends SshError {
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super('SSH_CONFIG', host, message, options);
  }
}
