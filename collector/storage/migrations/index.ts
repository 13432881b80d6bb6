import { migration001 } from './001-core.js';
import type { Migration } from './types.js';
import { migration020 } from '../../users/migration.js';
import { migration045 } from '../../users/keys.js';
import { migration010, migration013, migration014 } from '../../tickets/migration.js';
import { migration011, migration065 } from '../../maintenance/migration.js';
import { migration012 } from '../../inspections/migration.js';
import { migration030 } from '../../poller/migration.js';
import { migration040 } from '../../identity/migration.js';
import { migration050 } from '../../users/confidential-migration.js';
import { migration055 } from './055-site-time-zone.js';
import { migration095 } from '../../users/throttle-store.js';
import { migration096 } from '../../cluster/migration.js';
import { migration070 } from '../../equipment/migration.js';
import { migration060, migration061 } from '../../poller/bmc-migration.js';
import { migration086 } from '../../notify/channels/migration.js';
import { migration080 } from '../../notify/migration.js';
import { migration097 } from './097-append-only-keys.js';
import { migration098 } from './098-inspection-remarks.js';
import { migration099 } from './099-site-contract.js';
import { migration100 } from './100-results-latest.js';

export type { Migration } from './types.js';

/**
 * Every schema step, in order. Versions 1–9: the collector core (storage, ingest, tokens).
 * Versions 10+: tickets, inspections and maintenance (collector/tickets etc.) — append below.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  // --- versions 10+ (tickets, inspections, maintenance) go here ---
  migration010,
  migration011,
  migration012,
  migration013,
  // --- versions 14–19: tickets — two paths, SLA snapshot, people (collector/tickets) ---
  migration014,
  // --- versions 20–29: dashboard users, sessions, audit log (collector/users) ---
  migration020,
  // --- versions 30–39: SNMP poller targets (collector/poller) ---
  migration030,
  // --- versions 40–44: device identity of agent tokens (collector/identity) ---
  migration040,
  // --- versions 45–49: dashboard safety (collector/users: keys the collector keeps for itself) ---
  migration045,
  // --- versions 50–54: confidentiality (collector/users) ---
  migration050,
  // --- versions 55–59: site time zone (collector/repositories/sites) ---
  migration055,
  // --- versions 60–64: out-of-band targets, BMC and HMC (collector/poller) ---
  migration060,
  migration061,
  // --- versions 65–69: maintenance safeguards and execution (collector/maintenance) ---
  migration065,
  // --- versions 70–74: the equipment record kept by hand, firmware history (collector/equipment) ---
  migration070,
  // --- versions 80–85: notifications (collector/notify) ---
  migration080,
  // --- versions 86–89: notification channels (collector/notify/channels) ---
  migration086,
  // --- versions 95–99: state several collectors share (collector/users: log-in throttle; collector/cluster: members, leases) ---
  migration095,
  migration096,
  // --- version 97: ingest's append-only tables without per-row key checks on PostgreSQL ---
  migration097,
  migration098,
  migration099,
  migration100,
];
