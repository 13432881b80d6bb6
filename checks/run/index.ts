/** Inspect a whole site (or one device): the inventory, the concurrent run, the report files. */
export {
  EXAMPLE_SITE_FILE,
  SiteFileError,
  loadSiteFile,
  parseSiteFile,
  resolveSiteFile,
  writeExampleSiteFile,
  type LoadedSite,
  type SiteDevice,
  type SiteFileIssue,
  type SiteServerTarget,
  type SiteSnmpTarget,
} from './site-file.js';
export {
  inspectSite,
  unreachableReport,
  type DeviceInspection,
  type InspectSiteOptions,
  type ProgressEvent,
  type ProgressState,
  type SiteInspection,
  type SiteSummary,
  type SummaryItem,
} from './inspect-site.js';
export { renderInspectionHtml, writeInspectionFiles, inspectionDirName, type InspectionFiles } from './report-files.js';
export { snmpTargetOf, type SnmpCollect, type SnmpTargetSpec } from './snmp-adapter.js';
export { checkUploadTarget, readInspectionFile, uploadInspection, monthOf, type FormsToUpload, type UploadOutcome, type UploadTarget } from './upload.js';
export { createProgressDisplay, renderSiteSummary, type ProgressDisplay, type ProgressSink } from './terminal.js';
export { terminalPasswordPrompt } from './prompt.js';
export { FIELD_KEY_ENV, sealInspection, openSealed, isSealed } from './field-seal.js';
export { runSiteInspection, runUpload, UPLOAD_FAILED, type FieldIo, type SiteRunOptions } from './field-command.js';
export { combineReports } from './combine.js';
export { bmcTargetOf, collectBmc, type BmcRun } from './bmc-adapter.js';
export { collectRedfishFromFlags, redfishTargetFromFlags, type RedfishFlags } from './redfish-command.js';
export { collectHmcFromFlags, hmcTargetFromFlags, type HmcFlags } from './hmc-command.js';
