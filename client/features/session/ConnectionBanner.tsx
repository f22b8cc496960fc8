import { Banner } from '../../ui';
import type { ConnectionState } from './sip';
import { MESSAGES } from './messages';

/**
 * The strip under the header while the SIP connection is down. The live region stays mounted and
 * only its content changes, so "Connection lost" and the recovery are both announced.
 */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {state === 'reconnecting' && (
        <Banner tone="warning" strip busy testId="connection-banner">{MESSAGES.connectionLost}</Banner>
      )}
    </div>
  );
}
