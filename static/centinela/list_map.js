// The map of a list's filtered rows: #list-map names a GeoJSON URL that applies the list's own filters; the map
// loads it with the filter form's current values on load and after each filtering (htmx swaps #results), so its
// markers are always the rows the list selects. Points that carry a "count" are groups (a barrio's incidents for a
// role that may not see exact places), drawn bigger with the number. #list-map-layers, when the page has it, holds
// the layers other apps register (lib.maps.shared_layers: the open citizen reports, exact or rounded by role), drawn
// as overlays beside the rows, with a layer switcher.
(function () {
  "use strict";
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  function fill(text, values) { return text.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; }); }
  function init() {
    var el = document.getElementById("list-map");
    if (!el || typeof L === "undefined" || !window.fetch) return;
    var tiles = JSON.parse(document.getElementById("list-map-tiles").textContent);
    var map = L.map(el).setView([-3.996, -79.2017], 12);
    L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: 19}).addTo(map);
    var layer = L.layerGroup().addTo(map), status = document.getElementById("list-map-status");
    var form = document.querySelector("form.filters"), request = 0;
    var shared = document.getElementById("list-map-layers");
    if (shared) {
      var overlays = {};
      overlays[el.dataset.labelRows || "Filas"] = layer;
      var layers = JSON.parse(shared.textContent);
      Object.keys(layers).forEach(function (key) {
        overlays[layers[key].label || key] = L.geoJSON(layers[key], {
          pointToLayer: function (f, latlng) {
            var p = f.properties;
            return L.circleMarker(latlng, {radius: p.aggregated ? 8 : 6, color: "#7b241c", weight: 1,
              fillColor: p.aggregated ? "#e6b0aa" : "#f5b041", fillOpacity: 0.9, className: "shared-marker shared-" + key});
          },
          onEachFeature: function (f, marker) {
            var p = f.properties, code = p.url ? '<a href="' + esc(p.url) + '">' + esc(p.code) + "</a>" : esc(p.code);
            marker.bindPopup(p.aggregated ? "<strong>" + esc(p.barrio) + "</strong><br>" + esc(p.category) + ": " +
              esc(p.count_label || p.count) : "<strong>" + code + "</strong> · " + esc(p.category) + "<br>" +
              esc(p.status) + " · " + esc(p.date));
          },
        }).addTo(map);
      });
      L.control.layers(null, overlays, {collapsed: window.innerWidth < 700}).addTo(map);
      el.dataset.sharedMarkers = String(Object.keys(layers).reduce(function (n, k) {
        return n + (layers[k].features || []).length; }, 0));
    }
    function draw(data) {
      layer.clearLayers();
      var bounds = L.latLngBounds([]), grouped = false;
      (data.features || []).forEach(function (f) {
        var p = f.properties, ll = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), marker;
        if (p.count != null) {
          grouped = true;
          marker = L.circleMarker(ll, {radius: 6 + Math.min(18, Math.sqrt(p.count) * 2), color: "#1c2833", weight: 1,
            fillColor: "#cb4335", fillOpacity: 0.7, className: "list-marker list-group"});
          marker.bindTooltip(String(p.count), {permanent: true, direction: "center", className: "list-count"});
          marker.bindPopup("<strong>" + esc(p.name) + "</strong><br>" + esc(p.count));
        } else {
          marker = L.circleMarker(ll, {radius: 5, color: "#1c2833", weight: 1, fillColor: "#2874a6", fillOpacity: 0.85,
            className: "list-marker"});
          marker.bindPopup('<strong><a href="' + esc(p.url) + '">' + esc(p.name) + "</a></strong><br>" + esc(p.date) +
            (p.parish ? " · " + esc(p.parish) : "") + (p.kind_label ? "<br>" + esc(p.kind_label) : ""));
        }
        marker.addTo(layer);
        bounds.extend(ll);
      });
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.1), {maxZoom: 16});
      var text = !grouped && data.shown < data.total ? fill(el.dataset.labelShown, data) : fill(el.dataset.labelAll, data);
      if (grouped) text += " " + el.dataset.labelGrouped;
      if (status) status.textContent = text;
      el.dataset.markers = String((data.features || []).length);
      el.dataset.total = String(data.total);
    }
    function load() {
      var mine = ++request, query = form ? new URLSearchParams(new FormData(form)).toString() : location.search.slice(1);
      el.dataset.loading = "1";
      fetch(el.dataset.url + "?" + query, {credentials: "same-origin", headers: {"Accept": "application/geo+json, application/json"}})
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (data) { if (mine === request) draw(data); })
        .catch(function () { if (mine === request && status) status.textContent = el.dataset.labelError; })
        .then(function () { if (mine === request) delete el.dataset.loading; });
    }
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail && e.detail.target && e.detail.target.id === "results") load();
    });
    load();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
