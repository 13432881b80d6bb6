/** Monthly inspection records (巡检记录): assembly, field uploads, sign-off, confirmation, revisions. */
export { InspectionsRepository } from './repository.js';
export { inspectionsRoutes } from './routes.js';
export { monthBounds, monthOf } from './month.js';
export { migration012 } from './migration.js';
export { InspectionActions, INSPECTION_ROLES } from './actions.js';
