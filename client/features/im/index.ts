/**
 * IM: conversations over SIP MESSAGE with typing indications, unread counts and notifications.
 * Opened by the 'conversation/open' intent from anywhere (contacts, a notification).
 */
import { createElement } from 'react';
import { Icon } from '../../ui';
import { registerFeature } from '../base/registry';
import { ChatBadge, ChatList } from './components/ChatList';
import { ConversationView } from './components/ConversationView';
import { CONVERSATION_VIEW, ImService } from './im-service';
import { IM } from './service';
import './im.css';

registerFeature({
  id: 'im',
  start(ctx) {
    const service = new ImService(ctx);
    const stop = service.start();
    const withdraw = ctx.services.provide(IM, service);
    return () => {
      withdraw();
      stop();
    };
  },
  rail: [{ id: 'chat', label: 'Chat', order: 20, Icon: () => createElement(Icon, { name: 'chat', size: 22 }), Panel: ChatList, Badge: ChatBadge }],
  views: [{ id: CONVERSATION_VIEW, Component: ConversationView }],
});
