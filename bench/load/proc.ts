/**
 * What the bench reads from /proc (Linux): CPU seconds of a set of processes, their proportional
 * memory (PSS, so pages shared between a multi-process server's children are counted once in
 * total), and the children of a process. NaN where /proc is not there.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ is 100 on every Linux the bench runs on. */
const CLOCK_TICKS = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) the processes have used so far. */
export function cpuSeconds(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (!f) return Number.NaN;
    total += (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  }
  return total;
}

/** Sum of PSS over the processes, in bytes (smaps_rollup, Linux 4.14+). */
export function pssBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
      if (!m) return Number.NaN;
      total += Number(m[1]) * 1024;
    } catch {
      return Number.NaN;
    }
  }
  return total;
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [pid];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    if (f) parentOf.set(Number(e), Number(f[1]));
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parentOf) if (parent === out[i]) out.push(child);
  return out;
}
