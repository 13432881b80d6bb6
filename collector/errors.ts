import { XunjianError } from '../schemas/index.js';

/** An error the API answers with its status and `{ error: code, message }`. */
export class ApiError extends XunjianError {
  constructor(
    readonly statusCode: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

export const unauthorized = (message = 'a valid bearer token is required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
/** For refused state changes, e.g. an illegal ticket step. */
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
