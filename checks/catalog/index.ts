import type { CheckDefinition } from '../types.js';
import { cpuCheck } from './sxkr-001-cpu/check.js';
import { memoryCheck } from './sxkr-002-memory/check.js';
import { modulesCheck } from './sxkr-003-modules/check.js';
import { powerCheck } from './sxkr-004-power/check.js';
import { temperatureCheck } from './sxkr-005-temperature/check.js';
import { logCheck } from './sxkr-006-log/check.js';

/** The inspection form, in the service plan's order. A test checks ids are unique and complete. */
export const CHECKS: readonly CheckDefinition<any>[] = [cpuCheck, memoryCheck, modulesCheck, powerCheck, temperatureCheck, logCheck];

export { serviceComponent } from './sxkr-003-modules/check.js';
