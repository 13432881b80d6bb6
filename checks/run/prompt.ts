/**
 * Asks for a server's password on the terminal (`password_prompt: true` in the site file): the
 * password is never echoed and never written anywhere. Prompts are taken one at a time even when
 * the servers are inspected concurrently.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { SiteServerTarget } from './site-file.js';

export function terminalPasswordPrompt(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr) {
  let queue: Promise<unknown> = Promise.resolve();
  return (server: SiteServerTarget): Promise<string> => {
    const ask = () =>
      new Promise<string>((resolve, reject) => {
        let muted = false;
        const sink = new Writable({
          write(chunk, _encoding, done) {
            if (!muted) output.write(chunk);
            done();
          },
        });
        const rl = createInterface({ input, output: sink, terminal: true });
        rl.question(`password for ${server.user}@${server.host}:${server.port} (${server.name}): `, (answer) => {
          rl.close();
          output.write('\n');
          resolve(answer);
        });
        muted = true;
        rl.on('SIGINT', () => {
          rl.close();
          reject(new Error('password prompt interrupted'));
        });
      });
    const answer = queue.then(ask, ask);
    queue = answer.catch(() => undefined);
    return answer;
  };
}
