/**
 * A flooder in a process of its own (so it cannot slow down the generator that measures the
 * healthy client): `node --import tsx bench/load/flooder.ts <requests|connections> <port> <domain> <source address> <seconds>`.
 *  - requests: 50 TCP connections from the source address, each keeping 64 OPTIONS in flight;
 *  - connections: opens and resets TCP connections as fast as 200 at a time allow, each sending one OPTIONS.
 * Prints one JSON line with what it sent and what came back.
 */
import { openTcp, type Link } from './links';
import { Ua } from './ua';

const [mode, portArg, domainArg, localAddress, secondsArg] = process.argv.slice(2);
const domain = domainArg ?? 'ocs.test';
const port = Number(portArg);
const until = Date.now() + Number(secondsArg) * 1_000;
const counts = { sent: 0, ok: 0, rejected503: 0, otherStatus: 0, closed: 0, connectFailed: 0, connections: 0 };

async function requests(): Promise<void> {
  const links: Link[] = [];
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      const link = await openTcp(port, { localAddress }).catch(() => undefined);
      if (!link) return void counts.connectFailed++;
      links.push(link);
      counts.connections++;
      const ua = new Ua(link, 'flooder', domain, 'none');
      const one = (): void => {
        counts.sent++;
        void ua.options().then((r) => {
          if (r.status === 200) counts.ok++;
          else if (r.status === 503) counts.rejected503++;
          else if (r.status === 0) return void counts.closed++;
          else counts.otherStatus++;
          if (Date.now() < until) one();
        });
      };
      for (let k = 0; k < 64; k++) one();
    }),
  );
  while (Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const l of links) l.close();
}

async function connections(): Promise<void> {
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (Date.now() < until) {
        const link = await openTcp(port, { localAddress }).catch(() => undefined);
        if (!link) {
          counts.connectFailed++;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        counts.connections++;
        const r = await Promise.race([new Ua(link, 'flooder', domain, 'none').options(), new Promise<{ status: number }>((ok) => setTimeout(() => ok({ status: -1 }), 1_000))]);
        counts.sent++;
        if (r.status === 200) counts.ok++;
        else if (r.status === 503) counts.rejected503++;
        else if (r.status === 0) counts.closed++;
        else counts.otherStatus++;
        link.close();
      }
    }),
  );
}

await (mode === 'connections' ? connections() : requests());
process.stdout.write(`${JSON.stringify(counts)}\n`);
process.exit(0);
