import { createRouter } from '../router.js';
import { deleteLetterTemplateRoute } from './delete-letter-template.js';
import { getLetterTemplateRoute } from './get-letter-template.js';
import { listLetterTemplatesRoute } from './list-letter-templates.js';
import { putLetterTemplateRoute } from './put-letter-template.js';

export const letterTemplateRoutes = createRouter()
  .route('/', listLetterTemplatesRoute)
  .route('/', getLetterTemplateRoute)
  .route('/', putLetterTemplateRoute)
  .route('/', deleteLetterTemplateRoute);
