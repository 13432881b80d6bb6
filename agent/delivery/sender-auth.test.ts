import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool } from '../spool/index.js';
import { CollectorList } from './collectors.js';
import { Sender } from './sender.js';

/**
 * A heartbeat and a delivery can be in flight at once, and on a loaded host their answers arrive
 * in either order. The token's state follows the latest request sent, never a late answer to an
 * earlier one: a loaded full-suite run saw a 2xx sent before a revocation arrive after the first
 * 401, flip the state back to ok, and the refusal logged a second time.
 */
describe('the token state follows the order requests were sent, not answered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-sender-auth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function sender() {
    const errors: string[] = [];
    const log = { debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) };
    const s = new Sender({
      spool: new Spool({ dir: join(dir, `spool-${Math.random().toString(36).slice(2)}`), maxBytes: 1 << 20, maxAgeMs: 86_400_000 }),
      collectors: new CollectorList(['http://127.0.0.1:9']),
      token: () => 'T',
      timeoutMs: 1000,
      initialMs: 100,
      maxMs: 1000,
      log,
      userAgent: 'test',
    });
    return { s, errors };
  }
  const ok = { status: 201, body: '{}' };
  const refused = { status: 401, body: '{"error":"unauthorized","message":"token revoked"}' };

  it('a 2xx to a request sent before the refusal does not undo it, and the refusal is said once', () => {
    const { s, errors } = sender();
    const heartbeat = s.ask(); // sent before the revocation, answered late
    const report = s.ask(); // sent after it
    s.noteAnswer('T', refused, 'report', report);
    expect(s.state.auth).toBe('rejected');
    s.noteAnswer('T', ok, 'heartbeat', heartbeat);
    expect(s.state.auth).toBe('rejected');
    expect(s.isRefused('T')).toBe(true);
    s.noteAnswer('T', refused, 'heartbeat', s.ask());
    expect(errors).toHaveLength(1);
    // Accepted again (re-enabled): a request sent after the refusal says so.
    s.noteAnswer('T', ok, 'heartbeat', s.ask());
    expect(s.state.auth).toBe('ok');
    expect(s.isRefused('T')).toBe(false);
  });

  it('a 401 to a request sent before an acceptance does not undo it', () => {
    const { s, errors } = sender();
    s.noteAnswer('T', refused, 'report', s.ask());
    const late = s.ask(); // still the refused token's request, answered after the next
    s.noteAnswer('T', ok, 'heartbeat', s.ask());
    expect(s.state.auth).toBe('ok');
    s.noteAnswer('T', refused, 'report', late);
    expect(s.state.auth).toBe('ok');
    expect(s.isRefused('T')).toBe(false);
    expect(errors).toHaveLength(1);
  });
});
