// The incident's own point on the shared map (only for those who may see it: the page hands it over in
// #incident-point), once map.js has drawn the areas. Loaded after map.js (both deferred, in order).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("incident-point");
    var p = source ? JSON.parse(source.textContent) : null;
    var map = window.centinelaMap;
    if (!p || !map || typeof L === "undefined") return;
    L.circleMarker([p.lat, p.lon], {radius: 8, color: "#1c2833", weight: 2, fillColor: "#c0392b", fillOpacity: 0.9,
      className: "incident-marker"}).addTo(map).bindPopup(p.label);
    map.setView([p.lat, p.lon], 16);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
