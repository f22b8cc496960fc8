/**
 * Telling the person about something (a message, a call) while they look elsewhere: a browser
 * notification when the tab is hidden (only after they allowed it), and a count in the tab title.
 */
export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Must be called from a user gesture (browsers ignore requests otherwise). */
export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

export function pageHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

/** Shows a notification if allowed; clicking it focuses the tab and runs `onClick`. */
export function notify(title: string, body: string, tag: string, onClick: () => void): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const n = new Notification(title, { body: body.length > 160 ? `${body.slice(0, 157)}…` : body, tag, icon: '/favicon.svg' });
    n.onclick = () => { window.focus(); onClick(); n.close(); };
  } catch {
    // Some platforms only allow notifications from a service worker: the title badge remains.
  }
}

const TITLE_BADGE = /^\(\d+\+?\) /;

export function setTitleBadge(count: number): void {
  if (typeof document === 'undefined') return;
  const base = document.title.replace(TITLE_BADGE, '');
  document.title = count > 0 ? `(${count > 99 ? '99+' : count}) ${base}` : base;
}
