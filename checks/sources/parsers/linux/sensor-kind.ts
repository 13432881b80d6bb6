/** Shared by the local source (sysfs read in-process) and the SSH source (the same files over a shell loop). */
/** hwmon chip names → SXKR-005 sensor kind (the kernel driver says what it measures). */
export function hwmonKind(chip: string, label: string): string {
  const s = `${chip} ${label}`.toLowerCase();
  // x86_pkg_temp: the thermal zone of Intel's package sensor (drivers/thermal/intel/x86_pkg_temp_thermal.c)
  if (/coretemp|k10temp|k8temp|zenpower|cpu|package id|x86_pkg_temp|tctl|tdie|core \d/.test(s)) return 'cpu';
  if (/nvme|drivetemp|\bhdd|\bssd|composite/.test(s)) return 'disk';
  if (/inlet|ambient/.test(s)) return 'inlet';
  if (/acpitz|pch|board|mainboard|systin|chipset/.test(s)) return 'board';
  if (/psu|power supply/.test(s)) return 'psu';
  return 'other';
}
