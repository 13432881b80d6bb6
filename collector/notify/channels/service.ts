import fp from 'fastify-plugin';
import { ChannelActions } from './actions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Notification channels: management, "send test", and the directory the sender is given. */
    notifyChannels: ChannelActions;
  }
}

/** The `notify-channels` service: the channels and their directory (SMTP pools closed on stop). */
export const notifyChannelsService = fp(
  async (app) => {
    const actions = new ChannelActions(app);
    app.decorate('notifyChannels', actions);
    app.addHook('onClose', async () => actions.directory.close());
  },
  { name: 'notify-channels', dependencies: ['credentials'] },
);
