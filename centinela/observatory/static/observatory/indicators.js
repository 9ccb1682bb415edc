// The indicators page (/observatorio/indicadores/): the period's fields follow the period chosen, and the charts load
// one by one, again after each htmx swap of the results.
(function () {
  "use strict";
  var form = document.getElementById("indicator-filters");
  var period = form.querySelector("[name=period]");
  period.addEventListener("change", function () { form.dataset.period = period.value; });
  // Charts load one after another, not all at once: each is a few aggregate queries, and a small server answers
  // the table first and the charts in turn.
  function loadCharts(root) {
    var images = Array.prototype.slice.call(root.querySelectorAll("img[data-src]"));
    (function next() {
      var img = images.shift();
      if (!img) return;
      img.addEventListener("load", next, {once: true});
      img.addEventListener("error", next, {once: true});
      img.src = img.dataset.src;
      img.removeAttribute("data-src");
    })();
  }
  loadCharts(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { loadCharts(event.target); });
})();
