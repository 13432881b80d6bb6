import type { Store } from '../storage/store.js';
import { DevicesRepository } from './devices.js';
import { ReportsRepository } from './reports.js';
import { ResultsRepository } from './results.js';
import { SitesRepository } from './sites.js';
import { TokensRepository } from './tokens.js';
import { TicketsRepository } from '../tickets/repository.js';
import { MaintenanceRepository } from '../maintenance/repository.js';
import { InspectionsRepository } from '../inspections/repository.js';
import { UsersRepository } from '../users/repository.js';
import { NotifyRepository } from '../notify/repository.js';
import { FirmwareRepository } from '../equipment/firmware.js';
import { ReportQueries } from '../reports/store.js';

export * from './devices.js';
export * from './reports.js';
export * from './results.js';
export * from './sites.js';
export * from './tokens.js';
export { iso } from './json.js';

/**
 * One repository per aggregate, made once per store (the app decorates `repos`; one-off commands
 * call createRepositories): nothing else in the collector writes SQL. Repositories holding secrets
 * (channels, SNMP/BMC targets) need the credential box and are made by their services.
 */
export interface Repositories {
  sites: SitesRepository;
  devices: DevicesRepository;
  tokens: TokensRepository;
  reports: ReportsRepository;
  results: ResultsRepository;
  tickets: TicketsRepository;
  maintenance: MaintenanceRepository;
  inspections: InspectionsRepository;
  users: UsersRepository;
  notify: NotifyRepository;
  firmware: FirmwareRepository;
  /** The read-only queries behind the printed reports. */
  reportQueries: ReportQueries;
}

export function createRepositories(store: Store): Repositories {
  return {
    sites: new SitesRepository(store),
    devices: new DevicesRepository(store),
    tokens: new TokensRepository(store),
    reports: new ReportsRepository(store),
    results: new ResultsRepository(store),
    tickets: new TicketsRepository(store),
    maintenance: new MaintenanceRepository(store),
    inspections: new InspectionsRepository(store),
    users: new UsersRepository(store),
    notify: new NotifyRepository(store),
    firmware: new FirmwareRepository(store),
    reportQueries: new ReportQueries(store),
  };
}
