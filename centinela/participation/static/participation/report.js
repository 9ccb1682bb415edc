// The public report page: "Use my position" asks the phone for its position, and the search finds a barrio, a
// street or a known place by name; either puts the point on the map as a tap would (map.js's picker fills the
// lat/lon inputs). The button and the search show only where they can work. The camera code field shows only when
// the category is "Cámara dañada".
(function () {
  "use strict";
  // The camera code is asked only of a "cámara dañada" report (its field names the category's id).
  function cameraField() {
    var box = document.getElementById("camera-code");
    if (!box) return;
    function show() {
      var checked = document.querySelector("input[name=category]:checked");
      box.hidden = !(checked && checked.value === box.dataset.category) && !box.querySelector(".errorlist");
    }
    document.querySelectorAll("input[name=category]").forEach(function (r) { r.addEventListener("change", show); });
    show();
  }
  function put(lat, lon, zoom) {
    document.getElementById("id_lat").value = lat.toFixed(6);
    document.getElementById("id_lon").value = lon.toFixed(6);
    if (window.centinelaMap && window.L) {
      var ll = L.latLng(lat, lon);
      window.centinelaMap.setView(ll, zoom);
      window.centinelaMap.fire("click", {latlng: ll});
    }
  }
  function position() {
    var button = document.getElementById("use-my-position");
    var status = document.getElementById("position-status");
    if (!button || !("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locating || "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        put(pos.coords.latitude, pos.coords.longitude, 17);
        status.textContent = button.dataset.found || "✓";
      }, function () {
        status.textContent = button.dataset.failed || "✗";
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
  }
  function search() {
    var box = document.getElementById("place-search");
    if (!box || !window.fetch) return;
    var input = document.getElementById("place-query");
    var list = document.getElementById("place-results");
    box.hidden = false;
    function say(text) {
      list.textContent = "";
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    }
    function run() {
      var q = input.value.trim();
      if (q.length < 3) return;
      fetch(box.dataset.url + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          if (!data.results.length) { say(box.dataset.none); return; }
          list.textContent = "";
          data.results.forEach(function (found) {
            var li = document.createElement("li");
            var b = document.createElement("button");
            b.type = "button";
            b.className = "place-result";
            b.textContent = found.name + " · " + found.kind + (found.parish ? " · " + found.parish : "");
            b.addEventListener("click", function () {
              put(found.lat, found.lon, 16);
              list.textContent = "";
              input.value = found.name;
            });
            li.appendChild(b);
            list.appendChild(li);
          });
        })
        .catch(function () { say(box.dataset.failed); });
    }
    document.getElementById("place-search-button").addEventListener("click", run);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); run(); }  // not the report form's submit
    });
  }
  function init() { cameraField(); position(); search(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
