/** Short times for lists and message stamps, in the browser's locale. */
const SAME_DAY = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const OTHER_DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const FULL_DAY = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function shortTime(at: number, now = Date.now()): string {
  const d = new Date(at);
  return sameDay(d, new Date(now)) ? SAME_DAY.format(d) : OTHER_DAY.format(d);
}

export function clockTime(at: number): string {
  return SAME_DAY.format(new Date(at));
}

export function dayLabel(at: number, now = Date.now()): string {
  const d = new Date(at);
  const today = new Date(now);
  if (sameDay(d, today)) return 'Today';
  const yesterday = new Date(now - 86_400_000);
  if (sameDay(d, yesterday)) return 'Yesterday';
  return FULL_DAY.format(d);
}

export function isSameDay(a: number, b: number): boolean {
  return sameDay(new Date(a), new Date(b));
}
