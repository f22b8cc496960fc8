import { useEffect, useState } from 'react';
import { useFeatureContext, useService } from '../../base/react';
import type { MeetingController } from '../controller';
import { MEETINGS } from '../service';
import { MeetingStage } from './MeetingStage';

/** Main view `meeting` (param: conference id): attends the meeting and shows its stage. */
export function MeetingView({ param }: { param?: string }) {
  const service = useService(MEETINGS);
  const ctx = useFeatureContext();
  const [controller, setController] = useState<MeetingController>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!service || !param) return;
    let live = true;
    service.attend(param).then((c) => live && setController(c), (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [service, param]);
  if (error) return <div className="meeting-screen" data-testid="meeting-refused"><p role="alert" data-testid="meeting-notice">{error}</p></div>;
  if (!controller) return <div className="meeting-screen" data-testid="meeting-joining"><p>Joining the meeting…</p></div>;
  return <MeetingStage controller={controller} onClose={() => ctx.nav.close()} />;
}
