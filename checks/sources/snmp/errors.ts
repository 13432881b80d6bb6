import { XunjianError } from '../../../schemas/index.js';

/** Anything that went wrong talking SNMP to one device. `target` is `host:port`. */
export class SnmpError extends XunjianError {
  readonly target: string;
  constructor(code: string, target: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.target = target;
  }
}

/** No answer within the timeout after every retry: unreachable, filtered, or (v1/v2c) a wrong community. */
export class SnmpTimeoutError extends SnmpError {
  constructor(target: string, timeoutMs: number, retries: number, what: string) {
    super(
      'SNMP_TIMEOUT',
      target,
      `no SNMP answer from ${target} to ${what} within ${timeoutMs} ms after ${retries} ${retries === 1 ? 'retry' : 'retries'} (device unreachable, SNMP disabled, or wrong community/credentials)`,
    );
  }
}

/** SNMPv3 refused: unknown user, wrong digest (auth key), decryption error, unsupported level. */
export class SnmpAuthError extends SnmpError {
  constructor(target: string, detail: string, options?: { cause?: unknown }) {
    super('SNMP_AUTH', target, `SNMPv3 authentication with ${target} failed: ${detail}`, options);
  }
}

/** The agent answered with an error status or a malformed response. */
export class SnmpResponseError extends SnmpError {
  constructor(target: string, detail: string, options?: { cause?: unknown }) {
    super('SNMP_RESPONSE', target, `SNMP error from ${target}: ${detail}`, options);
  }
}

/** A profile file that does not parse or does not match the profile schema. */
export class ProfileError extends XunjianError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SNMP_PROFILE', message, options);
  }
}
