import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { verifyPassword } from './password.js';
import type { UserRow, UsersRepository } from './repository.js';
import type { LoginThrottle } from './throttle.js';

/** A refused log-in; the message never says whether the name or the password was wrong. */
export const badLogin = () => new ApiError(401, 'bad_login', 'wrong user name or password');
export const tooManyAttempts = (seconds: number) =>
  Object.assign(new ApiError(429, 'too_many_attempts', `too many failed log-ins from this address; try again in ${seconds} s`), { retryAfter: seconds });

/**
 * Checks a name and password under the log-in throttle (per user and source address, and per
 * source address). A wrong name costs the same scrypt time as a wrong password, so timing does
 * not reveal valid names.
 */
export async function authenticate(users: UsersRepository, throttle: LoginThrottle, request: FastifyRequest, name: string, password: string): Promise<UserRow> {
  const wait = await throttle.retryAfter(request);
  if (wait > 0) throw tooManyAttempts(wait);
  const found = await users.credentials(name);
  const ok = await verifyPassword(password, found?.hash ?? DUMMY_HASH);
  if (!found || !ok) {
    await throttle.failed(request);
    throw badLogin();
  }
  return found.user;
}

/** A valid hash of a random password, verified against when the name is unknown. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$KXJc0mBq2l3nG3oQ3rF2zv6mWbq7nB1h2c3d4e5f6g0';
