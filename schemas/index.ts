/** The wire and file formats: TypeScript types and runtime schemas from one declaration. */
export * from './common.js';
export * from './measurement.js';
export * from './device.js';
export * from './report.js';
export * from './result.js';
export * from './thresholds.js';
export * from './errors.js';
export * from './validate.js';
export * from './duration.js';
export * from './agent-config.js';
export * from './ticket.js';
export * from './maintenance.js';
export * from './inspection.js';
export * from './site-file.js';
export * from './collector-config.js';
export * from './collector-api.js';
export * from './snmp-profile.js';
