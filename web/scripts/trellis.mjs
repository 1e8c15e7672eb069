// Trellis's enhancements. The pages work without them; with them, GOV.UK
// Frontend's components (error summary focus, details, character counts...)
// start up.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Filters apply as soon as they change: the form is sent as its button
// would send it, so the page and its address are the same either way.
for (const form of document.querySelectorAll('form[data-module="app-auto-filter"]')) {
  form.addEventListener("change", () => form.requestSubmit());
  const button = form.querySelector('button[type="submit"]');
  if (button) button.classList.add("govuk-visually-hidden");
}
