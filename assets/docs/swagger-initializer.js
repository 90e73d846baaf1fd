/* global document, SwaggerUIBundle */
// The /docs page's viewer (swagger-ui-dist, served from this API's own assets): the contract named by the page, nothing fetched from elsewhere.
const root = document.getElementById('swagger-ui');
SwaggerUIBundle({
  url: root.dataset.url,
  domNode: root,
  deepLinking: true,
  validatorUrl: null,
  displayRequestDuration: true,
  tryItOutEnabled: false,
});
