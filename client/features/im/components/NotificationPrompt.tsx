import { useState } from 'react';
import { Button, Icon } from '../../../ui';
import { notificationPermission, requestNotificationPermission } from '../../base/notify';

/** Asks once (from a click, as browsers require) to show notifications while the tab is hidden. */
export function NotificationPrompt() {
  const [permission, setPermission] = useState(notificationPermission);
  const [dismissed, setDismissed] = useState(false);
  if (permission !== 'default' || dismissed) return null;
  return (
    <div className="notify-prompt" role="region" aria-label="Notifications">
      <Icon name="bell" size={18} />
      <span className="notify-prompt__text">Get notified about new messages when this tab is in the background.</span>
      <span className="notify-prompt__actions">
        <Button variant="primary" onClick={() => void requestNotificationPermission().then(setPermission)}>Turn on</Button>
        <Button onClick={() => setDismissed(true)}>Not now</Button>
      </span>
    </div>
  );
}
