/**
 * A UDP relay that counts SNMP packets between pollers and one agent, run as its own process by
 * bench/snmp-poll.ts so its CPU is nobody's. Every datagram a client sends to our port goes to the
 * agent from a socket of its own for that client; the answers go back. The parent asks for the
 * counts (and zeroes them) over IPC: { requests, responses, requestBytes, responseBytes }.
 *
 *   node --import tsx bench/udp-counter.ts <agent-host> <agent-port>   (then IPC 'counts')
 */
import { createSocket, type Socket } from 'node:dgram';

const [host = '127.0.0.1', portText = '161'] = process.argv.slice(2);
const agentPort = Number(portText);
const front = createSocket('udp4');
const links = new Map<string, Socket>();
let counts = { requests: 0, responses: 0, requestBytes: 0, responseBytes: 0 };

front.on('message', (msg, client) => {
  counts.requests++;
  counts.requestBytes += msg.length;
  const key = `${client.address}:${client.port}`;
  let back = links.get(key);
  if (!back) {
    back = createSocket('udp4');
    back.on('message', (answer) => {
      counts.responses++;
      counts.responseBytes += answer.length;
      front.send(answer, client.port, client.address);
    });
    links.set(key, back);
  }
  back.send(msg, agentPort, host);
});

process.on('message', (m) => {
  if (m === 'counts') {
    process.send!({ counts });
    counts = { requests: 0, responses: 0, requestBytes: 0, responseBytes: 0 };
  } else if (m === 'stop') {
    for (const s of links.values()) s.close();
    front.close();
    process.disconnect();
  }
});

front.bind(0, '127.0.0.1', () => process.send!({ port: front.address().port }));
