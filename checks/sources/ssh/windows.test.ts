/**
 * Windows rules on JSON from machines in several languages: the parsers read numbers, enum names or
 * numbers and ISO 8601 / \/Date(ms)\/ times only, so a Spanish, German or Chinese machine reads
 * the same. Field meanings from Microsoft's class documentation (MSFT_PhysicalDisk,
 * MSFT_StorageReliabilityCounter, MSFT_Volume: HealthStatus 0 Healthy, 1 Warning, 2 Unhealthy, 5 Unknown).
 */
import { describe, expect, it } from 'vitest';
import { parseWinDisks, parseWinEvents, parseWinIdentity, parseWinVolumes, psCommand, psTime } from './windows.js';

const ctx = { command: 'powershell -Command "…"', at: '2026-11-28T12:00:00.000Z' };

describe('Windows parsers', () => {
  it('reads event times as instants, never month- or day-first text', () => {
    expect(psTime('2020-12-20T09:15:00.0000000Z')).toBe('2020-12-20T09:15:00.000Z');
    expect(psTime('2020-12-20T10:15:00.0000000+01:00')).toBe('2020-12-20T09:15:00.000Z');
    expect(psTime('/Date(1608455700000)/')).toBe('2020-12-20T09:15:00.000Z');
    // What a Spanish (dd/MM) or US (M/d) table view prints is refused, not guessed.
    expect(psTime('20/12/2020 10:15:00')).toBeUndefined();
    expect(psTime('12/20/2020 10:15:00 AM')).toBeUndefined();
  });

  it('a Spanish-locale event keeps its words and its level by number (LevelDisplayName "Error" / "Advertencia" ignored)', () => {
    const json = JSON.stringify([
      { TimeCreated: '2020-12-20T09:15:00.0000000Z', Id: 7031, Level: 2, LevelDisplayName: 'Error', ProviderName: 'Service Control Manager', Message: 'El servicio Cola de impresión terminó de forma inesperada.' },
      { TimeCreated: '/Date(1608455700000)/', Id: 129, Level: 3, LevelDisplayName: 'Advertencia', ProviderName: 'storahci', Message: 'Restablecimiento del dispositivo \\Device\\RaidPort0.' },
    ]);
    const r = parseWinEvents(json, ctx);
    expect(r.gaps).toEqual([]);
    expect(r.measurements.map((m) => [m.metric, m.value, m.severity, m.at])).toEqual([
      ['log.scanned', 2, undefined, ctx.at],
      ['log.entry', 'El servicio Cola de impresión terminó de forma inesperada.', 'error', '2020-12-20T09:15:00.000Z'],
      ['log.entry', 'Restablecimiento del dispositivo \\Device\\RaidPort0.', 'warning', '2020-12-20T09:15:00.000Z'],
    ]);
  });

  it('an event without a readable time is a gap, not an entry at the wrong date', () => {
    const r = parseWinEvents(JSON.stringify([{ TimeCreated: '20/12/2020 10:15:00', Level: 2, Id: 1 }]), ctx);
    expect(r.gaps).toHaveLength(1);
  });

  it('disks: health by name or number, uncorrected errors a fault, the drive temperature with its own maximum', () => {
    const json = JSON.stringify([
      { DeviceId: '0', FriendlyName: 'SAMSUNG MZ7LH960', HealthStatus: 'Healthy', OperationalStatus: ['OK'], Temperature: 31, TemperatureMax: 70, ReadErrorsUncorrected: 0, WriteErrorsUncorrected: 0 },
      { DeviceId: '1', FriendlyName: 'ST4000NM0035', HealthStatus: 1, OperationalStatus: ['Predictive Failure'], Temperature: 0, ReadErrorsUncorrected: 0 },
      { DeviceId: '2', FriendlyName: 'ST4000NM0035', HealthStatus: 'Healthy', OperationalStatus: ['OK'], ReadErrorsUncorrected: 12, WriteErrorsUncorrected: 0 },
    ]);
    const r = parseWinDisks(json, ctx);
    expect(r.measurements.map((m) => [m.check, m.component, m.value, m.status ?? m.limits?.high])).toEqual([
      ['SXKR-003', 'disk 0 SAMSUNG MZ7LH960', 'Healthy', 'ok'],
      ['SXKR-005', 'disk 0 SAMSUNG MZ7LH960', 31, 70],
      ['SXKR-003', 'disk 1 ST4000NM0035', '1', 'warning'],
      ['SXKR-003', 'disk 2 ST4000NM0035', 'Healthy', 'fault'],
    ]);
    expect(r.measurements[3]!.detail).toMatch(/12 uncorrected/);
  });

  it('volumes from a German machine: sizes are JSON numbers, no decimal comma to misread', () => {
    const json = '[{"DriveLetter":"C","FileSystemLabel":"System","FileSystem":"NTFS","HealthStatus":"Healthy","Size":126696288256,"SizeRemaining":6334814412},{"DriveLetter":"","FileSystemLabel":"Wiederherstellung","FileSystem":"NTFS","HealthStatus":"Warning","Size":554696704,"SizeRemaining":85401600}]';
    const r = parseWinVolumes(json, ctx);
    expect(r.measurements.map((m) => [m.component, m.metric, m.value, m.status])).toEqual([
      ['C:', 'fs.used', 95, undefined],
      ['volume Wiederherstellung', 'fs.used', 84.6, undefined],
      ['volume Wiederherstellung', 'module.state', 'Warning', 'warning'],
    ]);
    // A size written as localized text ("126,7") is not a number: a gap, never 126 or 1267.
    expect(parseWinVolumes('[{"DriveLetter":"D","Size":"126,7","SizeRemaining":"3,1"}]', ctx).gaps[0]?.reason).toMatch(/no Size\/SizeRemaining/);
  });

  it('empty lists and non-JSON output are gaps', () => {
    expect(parseWinDisks('[]', ctx).gaps[0]?.reason).toBe('Get-PhysicalDisk listed no disk');
    expect(parseWinVolumes('Get-Volume : Zugriff verweigert', ctx).gaps[0]?.reason).toMatch(/not the JSON/);
    expect(parseWinIdentity('garbage')).toHaveProperty('error');
  });

  it('sends scripts encoded and shows them readable', () => {
    const q = psCommand("Get-Service -Name 'sshd'");
    expect(q.shown).toBe(`powershell -Command "Get-Service -Name 'sshd'"`);
    const b64 = /-EncodedCommand (\S+)$/.exec(q.command)![1]!;
    expect(Buffer.from(b64, 'base64').toString('utf16le')).toMatch(/\$ErrorActionPreference='Stop'.*Get-Service -Name 'sshd'$/);
  });
});
