/**
 * Load as the Factory sees it: counts from the conferences, and CPU per worker from
 * worker.getResourceUsage() (user + system time) since the previous sample.
 */
import type { McuLoad } from '../shared/mcu/factory';
import type { WorkerPool } from './media/workerPool';
import type { Conferences } from './rooms/conferences';

export async function sampleLoad(mcuId: string, pool: WorkerPool, conferences: Conferences, now = Date.now()): Promise<McuLoad> {
  const workers = await Promise.all(
    pool.entries().map(async (entry) => {
      let cpu = 0;
      try {
        const usage = await entry.worker.getResourceUsage();
        const cpuMs = usage.ru_utime + usage.ru_stime;
        const elapsed = now - entry.sampledAt;
        if (elapsed > 0 && entry.cpuMsAtSample > 0) cpu = Math.max(0, (cpuMs - entry.cpuMsAtSample) / elapsed);
        entry.cpuMsAtSample = cpuMs;
        entry.sampledAt = now;
      } catch {
        // A worker that dies mid-sample reports no CPU; the pool is replacing it.
      }
      return { pid: entry.worker.pid, routers: entry.routers, cpu: Math.round(cpu * 1000) / 1000 };
    }),
  );
  const cpu = workers.length ? workers.reduce((s, w) => s + w.cpu, 0) / workers.length : 0;
  return { mcuId, at: now, ...conferences.counts(), cpu: Math.round(cpu * 1000) / 1000, workers };
}
