/** Maintenance requests (维护申请): the 24 h rule, customer approval, windows that suppress tickets. */
export { assertRequestable, suppresses, NOTICE_HOURS, APPROVED_STATUSES } from './rules.js';
export { MaintenanceRepository } from './repository.js';
export { maintenanceRoutes } from './routes.js';
export { migration011, migration065 } from './migration.js';
export { MaintenanceActions, MAINTENANCE_ROLES, type MaintenanceDecisionName } from './actions.js';
