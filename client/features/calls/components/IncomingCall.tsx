import { useEffect } from 'react';
import { Avatar, IconButton } from '../../../ui';
import type { CallManager } from '../call-manager';
import type { CallView } from '../model';
import { Ringer } from '../ringer';

/** Ringing here: who calls and how, with Answer (video / audio) and Decline. Rings while shown. */
export function IncomingCall({ call, manager }: { call: CallView; manager: CallManager }) {
  useEffect(() => {
    const ringer = new Ringer();
    ringer.start();
    return () => ringer.stop();
  }, []);
  const kind = call.video ? 'video call' : 'call';
  return (
    <div className="incoming-call" role="alertdialog" aria-label={`Incoming ${kind} from ${call.remoteName}`}
      aria-describedby={`incoming-${call.id}`} data-testid="incoming-call">
      <Avatar name={call.remoteName} colourKey={call.remoteUri} size={48} />
      <div className="incoming-call__text" id={`incoming-${call.id}`}>
        <span className="incoming-call__name">{call.remoteName}</span>
        <span className="incoming-call__kind">Incoming {kind}</span>
      </div>
      <div className="incoming-call__actions">
        {call.video && (
          <IconButton icon="video" label="Answer with video" className="incoming-call__accept" onClick={() => manager.accept(call.id, true)}
            data-testid="answer-video" />
        )}
        <IconButton icon="phone" label={call.video ? 'Answer with audio only' : 'Answer'} className="incoming-call__accept"
          onClick={() => manager.accept(call.id, false)} data-testid="answer-audio" />
        <IconButton icon="hangup" label="Decline" variant="danger" onClick={() => manager.decline(call.id)} data-testid="decline" />
      </div>
    </div>
  );
}
