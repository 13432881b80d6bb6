/** Inspect a whole site (or one device): the inventory, the concurrent run, the report files. */
export {
  EXAMPLE_SITE_FILE,
  SiteFileError,
  loadSiteFile,
  parseSiteFile,
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
