import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../collector/storage/db.js';
import { MIGRATIONS } from '../../collector/storage/migrations/index.js';
import { TicketsRepository } from '../../collector/tickets/index.js';
import { sqliteStore } from '../../collector/storage/sqlite-store.js';

/**
 * Migration 14 rebuilds `tickets` on a real SQLite database holding tickets made under migration
 * 13: each keeps its id, its events and parts, and gets the SLA profile its site resolves to now.
 */
describe('migration 14 (ticket paths, SLA snapshot)', () => {
  it('keeps existing tickets, their children, and snapshots the profile they resolve to', async () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrate(db, MIGRATIONS.filter((m) => m.version <= 13));
    db.exec(`INSERT INTO sites (id, name, created_at) VALUES (1, 'acme', 0), (2, 'plain', 0);
      INSERT INTO devices (id, site_id, hostname, kind, addresses, first_seen) VALUES (1, 1, 'db01', 'server', '[]', 0), (2, 2, 'sw01', 'switch', '[]', 0);
      INSERT INTO site_sla (site, profile, updated_at, updated_by) VALUES ('acme', '{"recoveryHours":{"P2":6}}', 0, 'admin');
      INSERT INTO tickets (id, device_id, subject, priority, emergency, status, symptom, opened_at, opened_by)
        VALUES (7, 1, 'SXKR-004', 'P2', 0, 'on_site', 'PSU', 1000, 'system'), (8, 2, 'SXKR-006', 'P4', 0, 'open', 'log', 2000, 'system');
      INSERT INTO ticket_events (ticket_id, event, by_name, at) VALUES (7, 'open', 'system', 1000), (7, 'on_site', 'wang', 5000);
      INSERT INTO ticket_parts (ticket_id, part, old_serial, new_serial, replaced_at, by_name, at) VALUES (7, 'PSU', 'A', 'B', 6000, 'wang', 6000);`);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 14));
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The children still point at the rebuilt table (not at a renamed copy).
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ticket_events'").get() as { sql: string }).sql;
    expect(sql).toMatch(/REFERENCES tickets\(id\)/);
    // Changing the profile afterwards does not move the old ticket's deadline.
    db.prepare("UPDATE site_sla SET profile = '{\"recoveryHours\":{\"P2\":1}}' WHERE site = 'acme'").run();
    const repo = new TicketsRepository(sqliteStore(db));
    const t = await repo.get(7, new Date(10_000));
    expect(t).toMatchObject({ site: 'acme', device: 'db01', status: 'on_site', visitNeeded: true });
    expect(t.deadlines.recovery.due).toBe(new Date(1000 + 6 * 3_600_000).toISOString());
    expect(t.events.map((e) => e.event)).toEqual(['open', 'on_site']);
    expect(t.parts).toHaveLength(1);
    // A P4 never had an on-site clock.
    const p4 = await repo.get(8, new Date(10_000_000));
    expect(p4.visitNeeded).toBe(false);
    expect(p4.deadlines.onSite).toMatchObject({ due: null, overdue: false });
    db.close();
  });
});
