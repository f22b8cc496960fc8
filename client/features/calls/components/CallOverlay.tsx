import { useMemo } from 'react';
import { useService } from '../../base/react';
import { useStore } from '../../base/store';
import { activeCall, incomingCalls } from '../model';
import { CALLS } from '../service';
import type { CallManager } from '../call-manager';
import { CallStage } from './CallStage';
import { IncomingCall } from './IncomingCall';
import '../calls.css';

function Calls({ manager }: { manager: CallManager }) {
  const state = useStore(manager.state);
  const active = activeCall(state);
  const incoming = useMemo(() => incomingCalls(state), [state]);
  return (
    <>
      {active && <CallStage key={active.id} call={active} manager={manager} />}
      {incoming.length > 0 && (
        <div className="incoming-calls">
          {incoming.map((call) => <IncomingCall key={call.id} call={call} manager={manager} />)}
        </div>
      )}
    </>
  );
}

/** Mounted by the shell above everything: the active call and any calls ringing here. */
export function CallOverlay() {
  const manager = useService(CALLS);
  return manager ? <Calls manager={manager} /> : null;
}
