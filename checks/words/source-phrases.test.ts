import { describe, expect, it } from 'vitest';
import { sourceTextZh } from './source-phrases.js';
import { SnmpAuthError, SnmpResponseError, SnmpTimeoutError } from '../sources/snmp/errors.js';
import { SshAuthError, SshHostKeyError, SshTimeoutError, SshUnreachableError } from '../sources/ssh/errors.js';
import { failureOf } from '../sources/ssh/os-context.js';
import { evictionNotice } from '../../agent/daemon.js';

/*
 * The messages are made by the sources' own code (error classes, failureOf), so a change of their
 * wording that the table no longer knows fails here instead of reaching a Chinese report quoted.
 */

/** English words of the sources' framing that must not be left in a worded Chinese reason (outside the quotes). */
const FRAMING = /\b(?:timed out|connecting|authentication|failed|refused|unreachable|resolved|within|host key|verify|command|not found|exit|printed|nothing|answer|after|retr(?:y|ies)|walk|stopped|answering|profile|device|lists|cannot|read|error|from)\b/i;
const outsideQuotes = (text: string) => text.replace(/“[^”]*”/g, '');

const cmd = (stdout: string, stderr: string, code: number | null) => ({ command: 'x', stdout, stderr, code });

const KNOWN: [name: string, source: string, zh: string][] = [
  ['SSH connect timeout', new SshTimeoutError('db01:22', 'timed out connecting (Timed out while waiting for handshake)').message, 'db01:22：连接超时（“Timed out while waiting for handshake”）'],
  ['SSH refused', new SshUnreachableError('db01:22', 'connection refused').message, 'db01:22：连接被拒绝'],
  ['SSH no route', new SshUnreachableError('db01:22', 'host unreachable (EHOSTUNREACH)').message, 'db01:22：主机不可达（EHOSTUNREACH）'],
  ['SSH name', new SshUnreachableError('db01:22', 'host name not resolved (ENOTFOUND)').message, 'db01:22：主机名无法解析（ENOTFOUND）'],
  ['SSH auth', new SshAuthError('db01:22', 'authentication failed (All configured authentication methods failed)').message, 'db01:22：认证失败（“All configured authentication methods failed”）'],
  ['SSH command timeout', new SshTimeoutError('db01:22', 'command timed out after 60000 ms: ipmitool sdr elist').message, 'db01:22：命令执行超过 60000 毫秒：ipmitool sdr elist'],
  ['SSH login timeout', new SshTimeoutError('db01:22', 'no login within 10000 ms').message, 'db01:22：10000 毫秒内未能登录'],
  ['unknown host key', new SshHostKeyError('db01:22', 'unknown', 'host key ssh-ed25519 not in /home/x/.ssh/known_hosts; verify it, or run with --accept-new').message, 'db01:22：主机密钥 ssh-ed25519 不在 /home/x/.ssh/known_hosts 中；请核实，或以 --accept-new 运行'],
  ['command not found', `ipmitool sdr elist: ${failureOf(cmd('', 'sh: ipmitool: not found', 127))!}`, 'ipmitool sdr elist：命令不存在（退出码 127：“sh: ipmitool: not found”）'],
  ['exit status', `cat /proc/meminfo: ${failureOf(cmd('', 'Permission denied', 1))!}`, 'cat /proc/meminfo：退出码 1：“Permission denied”'],
  ['printed nothing', `df -kP: ${failureOf(cmd('', '', 0))!}`, 'df -kP：无输出'],
  ['session ended', `vmstat 5 2: ${failureOf(cmd('', '', null))!}`, 'vmstat 5 2：无退出状态（会话在命令结束前中断）'],
  ['SNMP silence', new SnmpTimeoutError('10.0.0.5:161', 5000, 1, 'GET sysDescr.0').message, '10.0.0.5:161 在 5000 毫秒内（重试 1 次后）未应答 GET sysDescr.0（设备不可达、未启用 SNMP，或团体名/凭据错误）'],
  ['SNMPv3 refused', new SnmpAuthError('10.0.0.5:161', 'Unknown user name').message, '与 10.0.0.5:161 的 SNMPv3 认证失败：“Unknown user name”'],
  ['SNMP error status', new SnmpResponseError('10.0.0.5:161', 'noSuchName').message, '10.0.0.5:161 返回 SNMP 错误：“noSuchName”'],
  ['a walk that stopped', 'walk of cpmCPUTotal5minRev (1.3.6.1.4.1.9.9.109.1.1.1.1.8) failed: not read: the device stopped answering (Request timed out)', '遍历 cpmCPUTotal5minRev（1.3.6.1.4.1.9.9.109.1.1.1.1.8）失败：未读取：设备停止应答（“Request timed out”）'],
  [
    'the agent evicted reports',
    evictionNotice({ pending: 3, total: 5, pendingFrom: '2026-11-01T00:00:00Z', pendingTo: '2026-11-02T00:00:00Z' }, '/var/spool/xunjian', 1048576, '2026-11-03T00:00:00Z')!.gap.reason,
    '代理的暂存区在采集器接收前丢弃了 3 份较早的报告（暂存于 2026-11-01T00:00:00Z … 2026-11-02T00:00:00Z）（暂存上限 1048576 字节或超期）；其中的错误日志未能送达',
  ],
];

describe('a source’s reason for a Chinese reader', () => {
  it.each(KNOWN)('%s', (_name, source, zh) => {
    const worded = sourceTextZh(source);
    expect(worded).toBe(zh);
    expect(outsideQuotes(worded)).not.toMatch(FRAMING);
  });

  it('the framing words would be caught: the English messages hold them', () => {
    for (const [, source] of KNOWN.filter(([name]) => !['SSH name', 'SSH refused'].includes(name))) expect(source, source).toMatch(FRAMING);
  });

  it('a shape it does not know is quoted whole as the source’s words, never half translated', () => {
    expect(sourceTextZh('Get-Volume listed no fixed volume')).toBe('来源报告：“Get-Volume listed no fixed volume”');
    expect(sourceTextZh('walk of x failed: something new')).toBe('遍历 x 失败：“something new”');
  });

  it('Chinese text is left as it is', () => {
    expect(sourceTextZh('内存使用率 85.0 % > 80 %')).toBe('内存使用率 85.0 % > 80 %');
  });
});
