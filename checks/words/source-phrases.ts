/*
 * The words of the sources (SSH, SNMP, IPMI, the local host) when a reading failed: they are
 * written in English where they happen, and a Chinese page or report words the known shapes in
 * Chinese. What a device or a command printed, names, addresses and numbers stay as they came,
 * quoted; a reason of a shape this table does not know is shown whole as the source's words,
 * quoted, never half translated.
 */

const q = (text: string | undefined): string => (text ? `“${text}”` : '');
const ms = (n: string): string => `${n} 毫秒`;

type Shape = [RegExp, (m: RegExpExecArray, inner: (text: string) => string) => string];

/** Anchored shapes, most specific first; `inner` words a nested source reason (a walk's failure). */
const SHAPES: Shape[] = [
  // SSH sessions (checks/sources/ssh/session.ts): "host:port: …"
  [/^(.+?): timed out connecting \((.*)\)$/s, (m) => `${m[1]}：连接超时（${q(m[2])}）`],
  [/^(.+?): authentication failed \((.*)\)$/s, (m) => `${m[1]}：认证失败（${q(m[2])}）`],
  [/^(.+?): connection refused$/s, (m) => `${m[1]}：连接被拒绝`],
  [/^(.+?): host name not resolved \((.*)\)$/s, (m) => `${m[1]}：主机名无法解析（${m[2]}）`],
  [/^(.+?): host unreachable \((.*)\)$/s, (m) => `${m[1]}：主机不可达（${m[2]}）`],
  [/^(.+?): no login within (\d+) ms$/s, (m) => `${m[1]}：${ms(m[2]!)}内未能登录`],
  [/^(.+?): command timed out after (\d+) ms: (.*)$/s, (m) => `${m[1]}：命令执行超过 ${ms(m[2]!)}：${m[3]}`],
  [/^(.+?): host key (\S+) not in (.+?); verify it, or run with --accept-new$/s, (m) => `${m[1]}：主机密钥 ${m[2]} 不在 ${m[3]} 中；请核实，或以 --accept-new 运行`],
  [/^(.+?): host key (\S+) is marked @revoked in (.+)$/s, (m) => `${m[1]}：主机密钥 ${m[2]} 在 ${m[3]} 中已被吊销`],
  [/^(.+?): REMOTE HOST KEY HAS CHANGED \((\S+)\); it does not match (.+?) line (.+?)\. /s, (m) => `${m[1]}：远程主机密钥已变更（${m[2]}），与 ${m[3]} 第 ${m[4]} 行不符。可能有人截听连接，或主机已重装：请核实后删除旧行。`],
  // A command's result (checks/sources/ssh/os-context.ts): "command: why"
  [/^(.+?): command not found \(exit 127(?:: (.*))?\)$/s, (m) => `${m[1]}：命令不存在（退出码 127${m[2] ? `：${q(m[2])}` : ''}）`],
  [/^(.+?): exit (\d+)(?:: (.*))?$/s, (m) => `${m[1]}：退出码 ${m[2]}${m[3] ? `：${q(m[3])}` : ''}`],
  [/^(.+?): printed nothing(?: \(stderr: (.*)\))?$/s, (m) => `${m[1]}：无输出${m[2] ? `（stderr：${q(m[2])}）` : ''}`],
  [/^(.+?): no exit status \(the session ended before the command did\)$/s, (m) => `${m[1]}：无退出状态（会话在命令结束前中断）`],
  // SNMP (checks/sources/snmp)
  [
    /^no SNMP answer from (\S+) to (.+?) within (\d+) ms after (\d+) retr(?:y|ies) \(device unreachable, SNMP disabled, or wrong community\/credentials\)$/s,
    (m) => `${m[1]} 在 ${ms(m[3]!)}内（重试 ${m[4]} 次后）未应答 ${m[2]}（设备不可达、未启用 SNMP，或团体名/凭据错误）`,
  ],
  [/^SNMPv3 authentication with (\S+) failed: (.*)$/s, (m) => `与 ${m[1]} 的 SNMPv3 认证失败：${q(m[2])}`],
  [/^SNMP error from (\S+): (.*)$/s, (m) => `${m[1]} 返回 SNMP 错误：${q(m[2])}`],
  [/^no SNMP profile matches sysObjectID (\S+) \/ sysDescr "(.*)"$/s, (m) => `没有与 sysObjectID ${m[1]} / sysDescr ${q(m[2])} 相符的 SNMP 设备配置`],
  [/^walk of (.+?) \((\S+)\) failed: (.*)$/s, (m, inner) => `遍历 ${m[1]}（${m[2]}）失败：${inner(m[3]!)}`],
  [/^walk of (.+?) failed: (.*)$/s, (m, inner) => `遍历 ${m[1]} 失败：${inner(m[2]!)}`],
  [/^not read: the device stopped answering \((.*)\)$/s, (m) => `未读取：设备停止应答（${q(m[1])}）`],
  [/^the device stopped answering \((.*)\)$/s, (m) => `设备停止应答（${q(m[1])}）`],
  [/^profile (\S+) reads no error log over SNMP; have the device send syslog to the collector$/s, (m) => `设备配置 ${m[1]} 无法通过 SNMP 读取错误日志；请让设备向采集器发送 syslog`],
  [/^the device does not implement (.+): no error log over SNMP; have it send syslog to the collector$/s, (m) => `设备未实现 ${m[1]}：无法通过 SNMP 读取错误日志；请让设备向采集器发送 syslog`],
  // IPMI and Redfish (checks/sources/ipmi-lan, redfish)
  [/^IPMI over LAN to BMC (.+?): (.*)$/s, (m) => `通过 LAN 以 IPMI 访问 BMC ${m[1]}：${q(m[2])}`],
  [/^the BMC (.+?) lists no power supply or fan sensor$/s, (m) => `BMC ${m[1]} 未列出任何电源或风扇传感器`],
  [/^the BMC (.+?) lists no temperature sensor$/s, (m) => `BMC ${m[1]} 未列出任何温度传感器`],
  [/^the BMC lists no fans in Thermal$/s, () => 'BMC 的 Thermal 中没有风扇'],
  [/^the BMC lists no power supplies in Power$/s, () => 'BMC 的 Power 中没有电源'],
  [/^the BMC lists no temperatures in Thermal$/s, () => 'BMC 的 Thermal 中没有温度'],
  // The agent's own spool (agent/daemon.ts evictionNotice)
  [
    /^(\d+) earlier report\(s\)(?: spooled (.+?) … (.+?))? were evicted from the agent's spool before the collector could take them \(spool bound (\d+) bytes or age\); error-log entries they held were not delivered$/s,
    (m) => `代理的暂存区在采集器接收前丢弃了 ${m[1]} 份较早的报告${m[2] ? `（暂存于 ${m[2]} … ${m[3]}）` : ''}（暂存上限 ${m[4]} 字节或超期）；其中的错误日志未能送达`,
  ],
  // Linux over SSH (checks/sources/ssh/linux.ts)
  [/^(.+?): power supply and fan states cannot be read over SSH; inspect them through the BMC or on site$/s, (m) => `${q(m[1])}：无法通过 SSH 读取电源和风扇状态；请通过 BMC 或到现场检查`],
  [/^(.+?) and no hwmon temperature sensor in \/sys\/class\/hwmon \(virtual machine\?\)$/s, (m) => `${q(m[1])}，且 /sys/class/hwmon 中没有温度传感器（虚拟机？）`],
  [/^no readable log: journald has no journal, no \/var\/log\/messages or \/var\/log\/syslog, dmesg: (.*)$/s, (m) => `没有可读的日志：journald 无日志，没有 /var/log/messages 或 /var/log/syslog，dmesg：${q(m[1])}`],
];

/** A known shape worded in Chinese, or undefined. */
function shaped(text: string): string | undefined {
  for (const [pattern, word] of SHAPES) {
    const m = pattern.exec(text);
    if (m) return word(m, (inner) => shaped(inner) ?? q(inner));
  }
  return undefined;
}

/** A source's reason in Chinese: a known shape worded, anything else quoted whole as the source's words. */
export function sourceTextZh(text: string): string {
  // Already Chinese (a catalogue reason stored before reasons were kept as keys): as it is.
  if (/[\u4e00-\u9fff]/.test(text)) return text;
  return shaped(text) ?? `来源报告：${q(text)}`;
}
