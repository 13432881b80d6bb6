/**
 * `agent install | uninstall`: the systemd unit, hardened. The agent runs as a dedicated user;
 * the few things that need more are granted narrowly (see agent/README.md, "What needs root"):
 *   journal         SupplementaryGroups=systemd-journal (and adm for /var/log/messages|syslog)
 *   smartctl        SupplementaryGroups=disk + AmbientCapabilities=CAP_SYS_RAWIO
 *   ipmitool        a udev rule giving /dev/ipmi0 to the agent's group (printed by install)
 * NoNewPrivileges=yes rules out sudo inside the service, so nothing relies on it; `--as-root`
 * keeps every other hardening line for hosts where the narrow grants are not possible.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { XunjianError } from '../schemas/index.js';
import type { ResolvedAgentConfig } from './config.js';

export const DEFAULT_UNIT_PATH = '/etc/systemd/system/xunjian-agent.service';
export const UNIT_NAME = 'xunjian-agent.service';

export interface UnitOptions {
  /** The full command line that starts `agent run`. */
  execStart: string;
  configPath: string;
  spoolDir: string;
  stateDir: string;
  /** Extra writable paths (e.g. a token file outside the state dir). */
  writable?: string[];
  user: string | 'root';
}

/** Quotes one argument for a systemd ExecStart= line. */
function systemdQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * V8 flags the service runs the agent with (and bench/agent-footprint measures it with). The
 * agent keeps little alive between cycles, so small heaps cost nothing in speed and keep RSS low:
 *   --max-semi-space-size=1   young generation of 1 MiB semi-spaces instead of up to 16 MiB:
 *                             each cycle's garbage is collected young instead of growing RSS;
 *   --max-old-space-size=48   a ceiling well above the ~10 MiB the agent uses, so a leak fails
 *                             loudly (and systemd restarts it) long before MemoryMax=256M;
 *   --no-opt                  no optimising compiler (TurboFan): nothing the agent runs is hot
 *                             enough to pay for it, and its code and the pages of node it would
 *                             touch are ~5 MB of RSS. Three agents in one bench/agent-footprint
 *                             run: without it 47.5 ms per cycle, RSS 61.8 MB; with it 52.5 ms,
 *                             56.4 MB (one 10 ms clock tick per cycle is the resolution; a run
 *                             before showed 65.0 vs 72.5 the other way). --lite-mode (no baseline
 *                             compiler either) was measured dearer in CPU and is not used.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=48', '--no-opt'];

/**
 * The argv that starts `agent run` from the installed tree: node, the flags, and
 * bin/xunjian-agent.js beside the running script (the agent-only entry, not the full CLI).
 */
export function agentCommand(binDir: string, runtime = process.execPath): string[] {
  const compiled = join(binDir, 'xunjian-agent.js');
  if (existsSync(compiled) || !existsSync(join(binDir, 'xunjian-agent.ts'))) return [runtime, ...AGENT_NODE_FLAGS, compiled];
  // A source checkout run through tsx (development): the same entry, compiled on the fly.
  return [runtime, ...AGENT_NODE_FLAGS, '--import', 'tsx', join(binDir, 'xunjian-agent.ts')];
}

/** The command that runs `agent run` as installed next to this very program. */
export function defaultExecStart(configPath: string): string {
  const script = process.argv[1] ? resolve(process.argv[1]) : '/usr/lib/xunjian/dist/bin/xunjian.js';
  return [...agentCommand(dirname(script)), 'agent', 'run', '--config', configPath].map(systemdQuote).join(' ');
}

export function renderUnit(o: UnitOptions): string {
  const rw = [...new Set([o.spoolDir, o.stateDir, ...(o.writable ?? [])])].map(systemdQuote).join(' ');
  const identity =
    o.user === 'root'
      ? ['# Runs as root (--as-root): every other hardening line still applies.', 'User=root']
      : [
          `User=${o.user}`,
          `Group=${o.user}`,
          '# journald (SXKR-006), /var/log/messages (adm), raw disk access for smartctl (disk).',
          'SupplementaryGroups=systemd-journal adm disk',
          '# smartctl needs CAP_SYS_RAWIO for SMART pass-through; nothing else is granted.',
          'AmbientCapabilities=CAP_SYS_RAWIO',
          'CapabilityBoundingSet=CAP_SYS_RAWIO',
        ];
  return `# Written by \`xunjian agent install\`; remove with \`xunjian agent uninstall\`.
[Unit]
Description=Xunjian inspection agent (巡检 agent)
Documentation=https://example.invalid/xunjian/agent
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${o.execStart}
${identity.join('\n')}
# SIGTERM: the agent finishes the report it is building and the request in flight, then exits.
KillSignal=SIGTERM
TimeoutStopSec=45
Restart=always
RestartSec=10
UMask=0077

# Hardening
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=${rw}
ReadOnlyPaths=${systemdQuote(o.configPath)}
PrivateTmp=yes
ProtectHome=yes
ProtectControlGroups=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
SystemCallArchitectures=native
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
MemoryMax=256M

[Install]
WantedBy=multi-user.target
`;
}

export interface InstallOptions {
  unitPath: string;
  configPath: string;
  config: Pick<ResolvedAgentConfig, 'spoolDir' | 'stateDir' | 'tokenFile'>;
  user: string;
  asRoot: boolean;
  execStart?: string;
  /** Run useradd/chown (real installs as root). */
  createUser: boolean;
  /** Run systemctl daemon-reload / enable --now. */
  systemctl: boolean;
  log: (line: string) => void;
}

function run(cmd: string, args: string[], log: (l: string) => void): void {
  log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function userExists(user: string): boolean {
  try {
    execFileSync('id', ['-u', user], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function install(o: InstallOptions): { unitPath: string; unit: string } {
  const user = o.asRoot ? 'root' : o.user;
  const writable = o.config.tokenFile && !o.config.tokenFile.startsWith(`${o.config.stateDir}/`) ? [dirname(o.config.tokenFile)] : [];
  const unit = renderUnit({
    execStart: o.execStart ?? defaultExecStart(o.configPath),
    configPath: o.configPath,
    spoolDir: o.config.spoolDir,
    stateDir: o.config.stateDir,
    writable,
    user,
  });
  if (o.createUser && user !== 'root') {
    if (process.getuid?.() !== 0) throw new XunjianError('USAGE', 'creating the agent user needs root (or pass --no-create-user)');
    if (!userExists(user)) run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', o.config.stateDir, '--shell', '/usr/sbin/nologin', user], o.log);
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    for (const dir of [o.config.spoolDir, o.config.stateDir]) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, uid, gid);
    }
    if (o.config.tokenFile && existsSync(o.config.tokenFile)) chownSync(o.config.tokenFile, uid, gid);
  }
  mkdirSync(dirname(o.unitPath), { recursive: true });
  writeFileSync(o.unitPath, unit, { mode: 0o644 });
  o.log(`wrote ${o.unitPath}`);
  if (o.systemctl) {
    run('systemctl', ['daemon-reload'], o.log);
    run('systemctl', ['enable', '--now', UNIT_NAME], o.log);
  }
  if (user !== 'root' && existsSync('/dev/ipmi0')) {
    o.log(`IPMI: give the agent /dev/ipmi0 with a udev rule, e.g.\n  echo 'KERNEL=="ipmi*", GROUP="${user}", MODE="0660"' > /etc/udev/rules.d/90-xunjian-ipmi.rules && udevadm trigger`);
  }
  return { unitPath: o.unitPath, unit };
}

export function uninstall(o: { unitPath: string; systemctl: boolean; log: (line: string) => void }): boolean {
  if (o.systemctl) {
    try {
      run('systemctl', ['disable', '--now', UNIT_NAME], o.log);
    } catch (e) {
      o.log(`systemctl disable failed (${(e as Error).message}); removing the unit anyway`);
    }
  }
  const existed = existsSync(o.unitPath);
  rmSync(o.unitPath, { force: true });
  o.log(existed ? `removed ${o.unitPath}` : `${o.unitPath} was not there`);
  if (o.systemctl) run('systemctl', ['daemon-reload'], o.log);
  return existed;
}
