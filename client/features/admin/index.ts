/** The admin settings page, on the rail only for administrators (the API refuses others with 403 anyway). */
import { createElement } from 'react';
import { Icon } from '../../ui';
import { registerFeature } from '../base/registry';
import { AdminPage } from './components/AdminPage';

export const ADMIN_VIEW = 'admin';

registerFeature({
  id: 'admin',
  rail: [{
    id: 'admin', label: 'Admin', order: 90, view: ADMIN_VIEW,
    Icon: () => createElement(Icon, { name: 'shield', size: 22 }),
    visible: (user) => user.admin,
  }],
  views: [{ id: ADMIN_VIEW, Component: AdminPage, wide: true }],
});
