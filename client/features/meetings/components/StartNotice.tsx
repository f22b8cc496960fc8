import { Banner, IconButton } from '../../../ui';
import { useService } from '../../base/react';
import { useStore } from '../../base/store';
import { MEETINGS, type MeetingsService } from '../service';

function Notice({ service }: { service: MeetingsService }) {
  const { busy, error } = useStore(service.starting);
  if (!busy && !error) return null;
  return (
    <div className="meeting-start-notice" data-testid="meeting-start-notice">
      <Banner tone={error ? 'error' : 'info'} busy={busy}>
        {error ?? 'Starting the meeting…'}
        {error && <IconButton icon="close" size="small" label="Dismiss" onClick={() => service.starting.set({ busy: false })} />}
      </Banner>
    </div>
  );
}

/** Overlay: progress and errors of a meeting started from a conversation or a call ('meeting/start'). */
export function StartNotice() {
  const service = useService(MEETINGS);
  return service ? <Notice service={service} /> : null;
}
