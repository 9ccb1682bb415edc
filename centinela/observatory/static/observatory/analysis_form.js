// An analysis form's fields that apply to one choice only: a field whose input carries
// data-applies-when="FIELD=VALUE" is shown when the select FIELD has that value and hidden (not sent as disabled:
// the server ignores it) otherwise. Without JavaScript every field shows, and its help text says when it applies.
(function () {
  "use strict";
  function init() {
    var inputs = document.querySelectorAll("form.analysis-form [data-applies-when]");
    Array.prototype.forEach.call(inputs, function (input) {
      var rule = input.getAttribute("data-applies-when").split("="), name = rule[0], wanted = rule[1];
      var control = document.getElementById("id_" + name), box = input.closest(".field");
      if (!control || !box) return;
      function update() { var off = control.value !== wanted; box.hidden = off; box.style.display = off ? "none" : ""; }
      control.addEventListener("change", update);
      update();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
