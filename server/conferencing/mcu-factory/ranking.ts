/**
 * How the Factory compares MCUs (pure, no I/O). Lower score = less loaded.
 *
 * - Utilization: the larger of forwarded streams over the MCU's declared capacity and the mean
 *   worker CPU (both 0..1): whichever runs out first limits the MCU.
 * - Conferences per worker, each weighted as 2% utilization: an empty conference costs nothing now
 *   but will draw users, and counting it spreads new conferences over idle MCUs instead of
 *   stacking them all on the first one. Conferences assigned since the last report are added,
 *   since the report cannot know them yet.
 * Ties go to the MCU with fewer conferences, then to the smaller id, so every Front End of a pool
 * ranks the same rows the same way.
 */
import type { McuRecord } from './store';

export const CONFERENCE_WEIGHT = 0.02;

export function conferencesOf(mcu: McuRecord): number {
  return (mcu.load?.conferences ?? 0) + mcu.pendingConferences;
}

export function utilizationOf(mcu: McuRecord): number {
  const load = mcu.load;
  if (!load) return 0;
  return Math.max(load.consumers / Math.max(1, mcu.capacity.maxConsumers), load.cpu);
}

export function loadScore(mcu: McuRecord): number {
  return utilizationOf(mcu) + (CONFERENCE_WEIGHT * conferencesOf(mcu)) / Math.max(1, mcu.capacity.workers);
}

export function compareLoad(a: McuRecord, b: McuRecord): number {
  return loadScore(a) - loadScore(b) || conferencesOf(a) - conferencesOf(b) || (a.mcuId < b.mcuId ? -1 : a.mcuId > b.mcuId ? 1 : 0);
}

/** The least-loaded of `candidates`, or undefined when there are none. */
export function leastLoaded(candidates: readonly McuRecord[]): McuRecord | undefined {
  return [...candidates].sort(compareLoad)[0];
}
