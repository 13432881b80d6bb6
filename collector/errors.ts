import { XunjianError } from '../schemas/index.js';
import type { Refusal } from './refusals.js';

/**
 * An error the API answers with its status and `{ error: code, message }`. `words` (optional) is the
 * refusal as the dashboard words it in the reader's language (collector/refusals.ts); the API keeps
 * the English message.
 */
export class ApiError extends XunjianError {
  constructor(
    readonly statusCode: number,
    code: string,
    message: string,
    readonly words?: Refusal,
  ) {
    super(code, message);
  }
}

export const unauthorized = (message = 'a valid bearer token is required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string, words?: Refusal) => new ApiError(403, 'forbidden', message, words);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
/** For refused state changes, e.g. an illegal ticket step. */
export const conflict = (message: string, words?: Refusal) => new ApiError(409, 'conflict', message, words);
export const badRequest = (code: string, message: string, words?: Refusal) => new ApiError(400, code, message, words);
