/**
 * Figures for the storage layer (not a test: numbers depend on the machine and its load).
 *   npx tsx server/db/bench.ts            # SQLite; PostgreSQL too when OCS_TEST_PG_URL is set
 *   OCS_BENCH_USERS=2000 npx tsx server/db/bench.ts
 * Reports: bulk import of N users at the production scrypt cost (wall and CPU seconds), and write
 * queue throughput for a burst of binding upserts and for one-at-a-time awaited writes.
 */
import { importUsersCsv } from '../users/import';
import { DEFAULT_SCRYPT_COST } from './password';
import { dbEngines } from './testing';

const USERS = Number(process.env.OCS_BENCH_USERS ?? 10_000);
const BURST = 20_000;
const SEQUENTIAL = 2_000;

function csv(n: number): string {
  const lines = ['name,password,display_name,phone'];
  for (let i = 0; i < n; i++) lines.push(`user${i},pass-${i}-word,"User ${i}",+1425555${String(i).padStart(4, '0')}`);
  return lines.join('\r\n');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const cpu = process.cpuUsage(c0);
  return { result, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

for (const engine of dbEngines()) {
  if (engine.skip) {
    console.log(`${engine.name}: skipped (${engine.skip})`);
    continue;
  }
  const db = await engine.open({ scryptCost: DEFAULT_SCRYPT_COST, queue: { maxQueued: 1_000_000 } });
  try {
    const imp = await timed(() => importUsersCsv(db, csv(USERS), 'ocs.test'));
    if (imp.result.created !== USERS) throw new Error(`import created ${imp.result.created}`);
    console.log(`${engine.name}: import ${USERS} users (scrypt ln=${DEFAULT_SCRYPT_COST.log2N}): ${imp.wall.toFixed(1)} s wall, ${imp.cpu.toFixed(1)} s CPU`);

    const now = Date.now();
    const before = db.queue.stats;
    const burst = await timed(() =>
      Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          db.bindings.upsert({ aor: `sip:user${i % 5000}@ocs.test`, contact: `sip:u${i}@192.0.2.1:5060`, frontEnd: 'fe1', expiresAt: now + 3_600_000, q: 1, callId: `c${i}`, cseq: 1, updatedAt: now }),
        ),
      ),
    );
    const batches = db.queue.stats.batches - before.batches;
    console.log(`${engine.name}: burst of ${BURST} binding upserts: ${Math.round(BURST / burst.wall)} ops/s (${batches} transactions)`);

    const seq = await timed(async () => {
      for (let i = 0; i < SEQUENTIAL; i++) await db.settings.set(`bench.${i % 100}`, String(i));
    });
    console.log(`${engine.name}: ${SEQUENTIAL} awaited one-at-a-time writes: ${Math.round(SEQUENTIAL / seq.wall)} ops/s`);
  } finally {
    await db.close();
  }
}
