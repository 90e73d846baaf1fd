import { createRouter } from '../router.js';
import { readEventFeedRoute } from './read-event-feed.js';

export const eventRoutes = createRouter().route('/', readEventFeedRoute);
