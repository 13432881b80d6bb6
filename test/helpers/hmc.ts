/**
 * A stand-in HMC for the real sshd harness: a directory to put first on the session's PATH whose
 * `lssyscfg` and `lssvcevents` scripts answer with the recorded output of
 * checks/sources/hmc/testcases — and only to the exact arguments the source must send (anything
 * else gets an HSCL syntax error, as the HMC would answer).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HMC_TESTCASES = join(import.meta.dirname, '..', '..', 'checks', 'sources', 'hmc', 'testcases');
export const hmcFixture = (name: string) => readFileSync(join(HMC_TESTCASES, name), 'utf8');

function script(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** Fills `bin` for an HMC whose lssvcevents answers `events` (a file's text) or fails with `failure`. */
export function hmcHost(bin: string, answer: { events: string } | { failure: string }): void {
  writeFileSync(join(bin, 'systems.out'), hmcFixture('lssyscfg-sys-constructed'));
  script(bin, 'lssyscfg', `[ "$*" = "-r sys -F name,type_model,serial_num,state" ] || { echo "HSCL350B The command syntax is not valid: $*"; exit 1; }\ncat ${join(bin, 'systems.out')}`);
  if ('events' in answer) {
    writeFileSync(join(bin, 'events.out'), answer.events);
    script(bin, 'lssvcevents', `[ "$*" = "-t hardware --filter status=open" ] || { echo "HSCL350B The command syntax is not valid: $*"; exit 1; }\ncat ${join(bin, 'events.out')}`);
  } else {
    script(bin, 'lssvcevents', `echo "${answer.failure}"; exit 1`);
  }
  script(bin, 'date', `if [ "$1" = "+%z" ]; then echo +0800; else exec /usr/bin/date "$@"; fi`);
}
