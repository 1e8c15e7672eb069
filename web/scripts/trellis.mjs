// Trellis's enhancements. The pages work without them; with them, GOV.UK
// Frontend's components (error summary focus, details, character counts...)
// start up.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
