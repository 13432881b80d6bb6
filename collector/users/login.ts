import { ApiError } from '../errors.js';
import type { LoginLimiter } from './limiter.js';
import { verifyPassword } from './password.js';
import type { UserRow, UsersRepository } from './repository.js';

/** A refused log-in; the message never says whether the name or the password was wrong. */
export const badLogin = () => new ApiError(401, 'bad_login', 'wrong user name or password');
export const tooManyAttempts = (seconds: number) =>
  Object.assign(new ApiError(429, 'too_many_attempts', `too many failed log-ins; try again in ${seconds} s`), { retryAfter: seconds });

/**
 * Checks a name and password under the rate limit (per client address and per name). A wrong
 * name costs the same scrypt time as a wrong password, so timing does not reveal valid names.
 */
export async function authenticate(users: UsersRepository, limiter: LoginLimiter, name: string, password: string, ip: string, now = Date.now()): Promise<UserRow> {
  const keys = [`ip:${ip}`, `name:${name}`];
  const wait = limiter.retryAfter(keys, now);
  if (wait > 0) throw tooManyAttempts(wait);
  const found = users.credentials(name);
  const ok = await verifyPassword(password, found?.hash ?? DUMMY_HASH);
  if (!found || !ok) {
    limiter.fail(keys, now);
    throw badLogin();
  }
  limiter.succeed(keys);
  return found.user;
}

/** A valid hash of a random password, verified against when the name is unknown. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$KXJc0mBq2l3nG3oQ3rF2zv6mWbq7nB1h2c3d4e5f6g0';
