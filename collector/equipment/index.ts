/** The equipment record kept by hand (设备档案): manual devices, firmware history, upgrade recommendations. */
export { migration070 } from './migration.js';
export { EquipmentActions, EQUIPMENT_ROLES } from './actions.js';
export { FirmwareRepository, type FirmwareStep, type BaselineRow } from './firmware.js';
export { recommend, recommendationText, compareVersions, type UpgradeRecommendation, type UpgradeStatus } from './recommendation.js';
export { equipmentRoutes } from './routes.js';
export { equipmentWord, kindLabel, bothValues, type EquipmentWord } from './words.js';
