import { XunjianError } from '../../../schemas/index.js';

/** Anything that went wrong talking Redfish to one controller. `target` is `host:port`. */
export class RedfishError extends XunjianError {
  readonly target: string;
  constructor(code: string, target: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.target = target;
  }
}

/** No TCP/TLS connection, or the connection dropped. */
export class RedfishUnreachableError extends RedfishError {
  constructor(target: string, detail: string, options?: { cause?: unknown }) {
    super('REDFISH_UNREACHABLE', target, `BMC ${target} unreachable: ${detail}`, options);
  }
}

/** No answer within the timeout. */
export class RedfishTimeoutError extends RedfishError {
  constructor(target: string, timeoutMs: number, what: string) {
    super('REDFISH_TIMEOUT', target, `no answer from BMC ${target} to ${what} within ${timeoutMs} ms`);
  }
}

/** The controller refused the user name or password (401/403 on log-in or on a request). */
export class RedfishAuthError extends RedfishError {
  constructor(target: string, detail: string) {
    super('REDFISH_AUTH', target, `BMC ${target} refused the credentials: ${detail}`);
  }
}

/** A resource answered with an HTTP error or a body that is not JSON. */
export class RedfishHttpError extends RedfishError {
  readonly status: number;
  readonly path: string;
  constructor(target: string, path: string, status: number, detail: string) {
    super('REDFISH_HTTP', target, `GET ${path} on BMC ${target}: ${detail}`);
    this.status = status;
    this.path = path;
  }
}

/** The certificate is not pinned yet (without --accept-new) or differs from the pinned one. */
export class RedfishCertificateError extends RedfishError {
  constructor(target: string, message: string) {
    super('REDFISH_CERTIFICATE', target, message);
  }
}

/** A Redfish vendor profile that does not parse or does not match its schema. */
export class RedfishProfileError extends XunjianError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REDFISH_PROFILE', message, options);
  }
}
