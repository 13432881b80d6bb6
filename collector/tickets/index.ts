/** Fault tickets (故障单): lifecycle, priority, SLA deadlines, the ingest hook, silence, routes. */
export { STEPS, STEP_NAMES, nextStatus, stepAllowed, stepsFrom, type StepName } from './lifecycle.js';
export { DEFAULT_PRIORITY_RULES, priorityFor } from './priority.js';
export { DEFAULT_SLA, slaProfile, deadlines, anyOverdue, isEmergency, alwaysOnSite, recoveryLimit } from './sla.js';
export { TicketsRepository, SYSTEM, type Actor, type TicketFilter } from './repository.js';
export { FaultTickets, type FaultOutcome } from './opener.js';
export { TicketsIngestHook, symptomOf } from './hook.js';
export { detectSilence, type SilenceOutcome } from './silence.js';
export { silenceScanService } from './silence-scan.js';
export { ticketsRoutes, type TicketsRoutesOptions } from './routes.js';
export { migration010, migration013, migration014 } from './migration.js';
export { TicketActions, TICKET_ROLES } from './actions.js';
export { isSiteEngineer, siteEngineers } from './people.js';
