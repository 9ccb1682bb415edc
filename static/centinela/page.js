// What the templates ask for with data- attributes instead of inline code, which the Content-Security-Policy
// refuses (centinela/lib/csp.py): one delegated listener per kind of action, and the values a page computes
// (bar widths, heat-map shades) set through the DOM, which CSP does not restrict. Content htmx swaps in gets the
// same (htmx:load).
//   <select data-autosubmit>        submits its form when the choice changes
//   <button data-confirm="Text">    asks first; the click (and the form's submission) stops unless confirmed
//   <a href="#" data-print>          prints the page
//   <span data-width="42%">          style.width
//   <td data-bg="rgba(...)">         style.background
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm], [data-print]") : null;
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }
  function applyStyles(root) {
    if (!root || !root.querySelectorAll) return;
    // a width written the Spanish way ("33,3%") is read as 33.3%
    within(root, "[data-width]").forEach(function (el) { el.style.width = el.getAttribute("data-width").replace(",", "."); });
    within(root, "[data-bg]").forEach(function (el) { el.style.background = el.getAttribute("data-bg"); });
  }
  document.addEventListener("htmx:load", function (event) { applyStyles(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyStyles(document); });
  } else {
    applyStyles(document);
  }
})();
