// Starts the design system's components, and again inside any fragment htmx swaps in.
import { initAll, createAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});

export { createAll };
