/**
 * Recorded hosts for the fault-injection harness: every command of an OS's command set answered
 * with real output (the golden fixtures) where one exists, healthy where the harness needs a
 * clean baseline. Commands are matched by what they run, Windows scripts by what they query.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, SshSession } from '../session.js';

const SSH_CASES = join(import.meta.dirname, '..', 'testcases');
const PARSER_CASES = join(import.meta.dirname, '..', '..', 'parsers', 'testcases');
const fixture = (dir: string, name: string) => readFileSync(join(dir, name, 'input.txt'), 'utf8');

export interface Answer {
  stdout: string;
  code?: number;
  stderr?: string;
}

/** A host: which answer a command gets (by a key naming the command), and how a command maps to its key. */
export interface RecordedHost {
  name: string;
  answers: Record<string, Answer>;
  keyOf(command: string): string | undefined;
}

/** Windows commands travel as -EncodedCommand: the script inside, for matching. */
export function decodePowerShell(command: string): string | undefined {
  const m = /-EncodedCommand (\S+)/.exec(command);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf16le') : undefined;
}

export type Fault = 'exit 127' | 'exit 1' | 'empty output' | 'garbage';
export const FAULTS: Fault[] = ['exit 127', 'exit 1', 'empty output', 'garbage'];

export function faulted(fault: Fault, command: string): Omit<CommandResult, 'command'> {
  switch (fault) {
    case 'exit 127':
      return { stdout: '', stderr: `sh: ${command.split(' ')[0]}: not found`, code: 127 };
    case 'exit 1':
      return { stdout: '', stderr: 'Permission denied', code: 1 };
    case 'empty output':
      return { stdout: '', stderr: '', code: 0 };
    case 'garbage':
      return { stdout: '%%% Segmentation fault (core dumped) ~~ 0x7f3a 42 @@', stderr: '', code: 0 };
  }
}

/** A session answering from the host, with `fault` on the command whose key is `target`. */
export function recordedSession(host: RecordedHost, target?: { key: string; fault: Fault }): SshSession & { ran: Set<string> } {
  const ran = new Set<string>();
  return {
    host: host.name,
    ran,
    async exec(command) {
      const key = host.keyOf(command);
      if (key === undefined) return { command, stdout: '', stderr: `sh: no recording for: ${command.slice(0, 80)}`, code: 127 };
      ran.add(key);
      if (target && target.key === key) return { command, ...faulted(target.fault, command) };
      const a = host.answers[key]!;
      return { command, stdout: a.stdout, stderr: a.stderr ?? '', code: a.code ?? 0 };
    },
    close() {},
  };
}

const exact = (answers: Record<string, Answer>) => (command: string) => (command in answers ? command : Object.keys(answers).find((k) => k.endsWith('*') && command.startsWith(k.slice(0, -1))));

export const LINUX: RecordedHost = {
  name: 'linux',
  answers: {
    "grep '^cpu ' /proc/stat*": { stdout: fixture(PARSER_CASES, 'proc-stat-host').split('\n').filter((l) => l.startsWith('cpu ')).join('\n') + '\n' + 'cpu  18963 0 7582 4299855 749 0 163 546 0 0' },
    'uname -r': { stdout: '6.1.0-27-amd64' },
    '. /etc/os-release && echo "$PRETTY_NAME"': { stdout: 'Debian GNU/Linux 12 (bookworm)' },
    'cat /sys/class/dmi/id/sys_vendor': { stdout: 'QEMU' },
    'cat /sys/class/dmi/id/product_name': { stdout: 'Standard PC (i440FX + PIIX, 1996)' },
    'cat /sys/class/dmi/id/product_serial': { stdout: '', code: 1, stderr: 'cat: /sys/class/dmi/id/product_serial: Permission denied' },
    'cat /proc/meminfo': { stdout: fixture(PARSER_CASES, 'meminfo-host') },
    'df -P -T': { stdout: fixture(PARSER_CASES, 'df-host') },
    'if [ -e /proc/mdstat ]*': { stdout: fixture(PARSER_CASES, 'mdstat-raid0') },
    'ip -o link': { stdout: fixture(PARSER_CASES, 'ip-link-host') },
    'if [ -d /run/systemd/system ]*': { stdout: '  UNIT LOAD ACTIVE SUB DESCRIPTION\n\n0 loaded units listed.' },
    "systemctl is-active 'sshd' 'cron'": { stdout: 'active\nactive', code: 0 },
    'test -e /dev/ipmi0*': { stdout: '/usr/bin/ipmitool' },
    'for h in /sys/class/hwmon/*': { stdout: '' },
    'ipmitool sdr elist': { stdout: fixture(PARSER_CASES, 'ipmi-sdr-elist-hp-dl360-gen10') },
    'ipmitool sensor': { stdout: fixture(PARSER_CASES, 'ipmi-sensor-nec-r120f') },
    'ipmitool sel elist': { stdout: 'SEL has no entries' },
    'command -v smartctl >/dev/null && smartctl --scan': { stdout: '/dev/sda -d sat # /dev/sda [SAT], ATA device' },
    'smartctl -H -d sat /dev/sda': { stdout: fixture(PARSER_CASES, 'smartctl-ata-passed-ssd') },
    'find /var/log/journal*': { stdout: '' },
  },
  keyOf: (c) => exact(LINUX.answers)(c),
};

const aixLsvg = fixture(SSH_CASES, 'aix-lsvg-p-l').split(/\n(?=rootvg:\nLV NAME)/);
export const AIX: RecordedHost = {
  name: 'aix',
  answers: {
    'vmstat *': { stdout: fixture(SSH_CASES, 'aix-vmstat') },
    'uname -M': { stdout: 'IBM,9117-MMA' },
    'oslevel -s': { stdout: '7200-05-03-2148' },
    'date +%z': { stdout: '+0800' },
    'lsattr -El sys0 -a modelname -a systemid -a fwversion': {
      stdout:
        'fwversion       IBM,RG080425_d79e22_r                Firmware version and revision levels   False\n' +
        'modelname       IBM,9114-275                         Machine name                           False\n' +
        'systemid        IBM,0110ACFDE                        Hardware system identifier             False',
    },
    'svmon -G': { stdout: fixture(SSH_CASES, 'aix-svmon-ibm-doc') },
    'lsps -s': { stdout: fixture(SSH_CASES, 'aix-lsps-ibm-cloud') },
    'lsdev -Cc disk': { stdout: 'hdisk0 Available 00-08-00 SAS Disk Drive\nhdisk1 Available 00-08-00 SAS Disk Drive' },
    'lsdev -Cc adapter': { stdout: fixture(SSH_CASES, 'aix-lsdev-redbook').split('\n').filter((l) => /Available/.test(l)).join('\n') },
    lspv: { stdout: fixture(SSH_CASES, 'aix-lspv-iscsi').split('\n').slice(0, 2).join('\n') },
    'lsvg -o': { stdout: 'rootvg' },
    'lsvg -p rootvg': { stdout: aixLsvg[0]! },
    'lsvg -l rootvg': { stdout: aixLsvg[1]! },
    'df -k': { stdout: fixture(SSH_CASES, 'aix-df') },
    'errpt -s *': { stdout: 'IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION\n9D4CF6E7   1126104326 T O errdemon       ERROR LOGGING TURNED ON' },
    errpt: { stdout: 'IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION\n9D4CF6E7   1126104326 T O errdemon       ERROR LOGGING TURNED ON' },
  },
  keyOf: (c) => exact(AIX.answers)(c),
};

const WINDOWS_QUERIES: [string, string][] = [
  ['identity', 'Win32_ComputerSystem'],
  ['cpu', 'PerfOS_Processor'],
  ['memory', 'Win32_PageFileUsage'],
  ['disks', 'Get-PhysicalDisk'],
  ['volumes', 'Get-Volume'],
  ['services', 'Get-Service'],
  ['events', 'Get-WinEvent'],
];

export const WINDOWS: RecordedHost = {
  name: 'windows',
  answers: {
    identity: { stdout: '{"Caption":"Microsoft Windows Server 2019 Standard","Version":"10.0.17763","Manufacturer":"Dell Inc.","Model":"PowerEdge R740","SerialNumber":"7XK2Q53","BiosVersion":"2.12.2","UtcOffsetMinutes":480}' },
    cpu: { stdout: fixture(SSH_CASES, 'win-cpu-docs') },
    memory: { stdout: fixture(SSH_CASES, 'win-memory-cim') },
    disks: { stdout: '[{"DeviceId":"0","FriendlyName":"DELL PERC H730P","SerialNumber":"00ab","MediaType":"HDD","HealthStatus":"Healthy","OperationalStatus":["OK"],"Temperature":0,"TemperatureMax":0,"ReadErrorsUncorrected":0,"WriteErrorsUncorrected":0,"Wear":null}]' },
    volumes: { stdout: '[{"DriveLetter":"C","FileSystemLabel":"","FileSystem":"NTFS","HealthStatus":"Healthy","Size":126696288256,"SizeRemaining":83412332544}]' },
    services: { stdout: '[{"Name":"sshd","DisplayName":"OpenSSH SSH Server","Status":"Running"},{"Name":"cron","DisplayName":"cron","Status":"Running"}]' },
    events: { stdout: '[]' },
  },
  keyOf(command) {
    const script = decodePowerShell(command);
    return script ? WINDOWS_QUERIES.find(([, word]) => script.includes(word))?.[0] : undefined;
  },
};

/** Commands whose empty output is the command's own answer (nothing to report), per host. */
export const EMPTY_IS_ANSWER: Record<string, string[]> = {
  linux: ['find /var/log/journal*', 'for h in /sys/class/hwmon/*'],
  aix: ['errpt -s *', 'errpt'],
  windows: [],
};
