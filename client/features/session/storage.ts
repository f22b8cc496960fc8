/**
 * The signed-in session kept in sessionStorage: a reload of the tab stays signed in while the
 * token is valid, a new tab or a closed browser does not. The endpoint's +sip.instance id
 * (RFC 5626 §4.1) lives in sessionStorage too: each tab is its own endpoint (the Registrar replaces
 * a binding whose instance registers again, so two tabs sharing one id would knock each other
 * out), and a reload keeps its id, so its new REGISTER replaces the old binding. A duplicated tab
 * starts with a copy of its original's sessionStorage, id included: claimEndpointInstanceId() asks
 * the other tabs of this browser (BroadcastChannel) whether the id is in use and takes a new one
 * if it is.
 */
import type { LoginResponse } from '../../../shared/api/session';

const SESSION_KEY = 'ocs.session';
const INSTANCE_KEY = 'ocs.instanceId';

export type StoredSession = LoginResponse;

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StoredSession>;
  return typeof v.token === 'string' && typeof v.expiresAt === 'string' && typeof v.user === 'object' && v.user !== null
    && typeof v.user.name === 'string' && typeof v.user.uri === 'string';
}

export function loadSession(now = Date.now()): StoredSession | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    if (!isStoredSession(parsed)) return undefined;
    // A minute of margin: a token about to expire would fail the WebSocket upgrade anyway.
    if (Date.parse(parsed.expiresAt) - 60_000 <= now) {
      clearSession();
      return undefined;
    }
    return parsed;
  } catch {
    return undefined;
  }
}

export function saveSession(session: StoredSession): void {
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // Storage full or disabled (private mode): the session just won't survive a reload.
  }
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // nothing to clear
  }
}

export function endpointInstanceId(): string {
  try {
    const existing = sessionStorage.getItem(INSTANCE_KEY);
    if (existing && /^[0-9a-f-]{36}$/.test(existing)) return existing;
    const fresh = crypto.randomUUID();
    sessionStorage.setItem(INSTANCE_KEY, fresh);
    return fresh;
  } catch {
    return crypto.randomUUID();
  }
}

const CHANNEL = 'ocs.endpoints';
/** How long a tab waits for another tab to say "that id is mine" (tabs answer within a task). */
const CLAIM_WAIT_MS = 150;

type ClaimMessage = { type: 'who-has' | 'mine'; id: string };
let claim: Promise<string> | undefined;

function isClaimMessage(data: unknown): data is ClaimMessage {
  const m = data as Partial<ClaimMessage> | null;
  return typeof m === 'object' && m !== null && (m.type === 'who-has' || m.type === 'mine') && typeof m.id === 'string';
}

/**
 * This tab's endpoint id, unique among the live tabs of this browser; afterwards the tab answers
 * for it, so a later duplicate of this tab picks its own. Resolves at once when BroadcastChannel is
 * missing (then a duplicated tab shares the id, as before).
 */
export function claimEndpointInstanceId(waitMs = CLAIM_WAIT_MS): Promise<string> {
  claim ??= (async () => {
    let id = endpointInstanceId();
    if (typeof BroadcastChannel !== 'function') return id;
    const channel = new BroadcastChannel(CHANNEL);
    const taken = await new Promise<boolean>((resolve) => {
      const onMessage = (e: MessageEvent) => {
        if (!isClaimMessage(e.data) || e.data.type !== 'mine' || e.data.id !== id) return;
        clearTimeout(timer);
        channel.removeEventListener('message', onMessage);
        resolve(true);
      };
      const timer = setTimeout(() => {
        channel.removeEventListener('message', onMessage);
        resolve(false);
      }, waitMs);
      channel.addEventListener('message', onMessage);
      channel.postMessage({ type: 'who-has', id } satisfies ClaimMessage);
    });
    if (taken) {
      id = crypto.randomUUID();
      try {
        sessionStorage.setItem(INSTANCE_KEY, id);
      } catch {
        // storage disabled: the id lasts as long as the page
      }
    }
    const mine = id;
    channel.addEventListener('message', (e: MessageEvent) => {
      if (isClaimMessage(e.data) && e.data.type === 'who-has' && e.data.id === mine) channel.postMessage({ type: 'mine', id: mine } satisfies ClaimMessage);
    });
    return mine;
  })();
  return claim;
}
