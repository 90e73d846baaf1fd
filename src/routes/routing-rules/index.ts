import { createRouter } from '../router.js';
import { createRoutingRuleRoute } from './create-routing-rule.js';
import { deleteRoutingRuleRoute } from './delete-routing-rule.js';
import { listRoutingRulesRoute } from './list-routing-rules.js';
import { updateRoutingRuleRoute } from './update-routing-rule.js';

export const routingRuleRoutes = createRouter()
  .route('/', listRoutingRulesRoute)
  .route('/', createRoutingRuleRoute)
  .route('/', updateRoutingRuleRoute)
  .route('/', deleteRoutingRuleRoute);
