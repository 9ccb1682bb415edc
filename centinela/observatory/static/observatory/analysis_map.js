// Draws an analysis result (#analysis-layers: [{label, style, key, data}]) on a Leaflet map: density cells
// coloured by class, Gi* cells by category, placement sites and discs, impact areas, incident points. Tiles are
// optional: the layers draw even when the tile server cannot be reached.
(function () {
  "use strict";
  var RAMP = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
  var GISTAR = {"hot 99%": "#b2182b", "hot 95%": "#ef8a62", "hot 90%": "#fddbc7",
                "cold 90%": "#d1e5f0", "cold 95%": "#67a9cf", "cold 99%": "#2166ac"};
  var AREAS = {treated: "#c0392b", buffer: "#d68910", control: "#2471a3"};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  function num(v, d) { return typeof v === "number" ? v.toLocaleString("es-EC", {maximumFractionDigits: d == null ? 2 : d}) : esc(v); }
  function breaks(features, key) {
    // quintile class breaks of the layer's values: a few very dense cells do not wash out the rest
    var v = features.map(function (f) { return Math.abs(f.properties[key] || 0); }).sort(function (a, b) { return a - b; });
    if (!v.length) return [];
    return [1, 2, 3, 4].map(function (q) { return v[Math.min(v.length - 1, Math.floor(q * v.length / 5))]; });
  }
  function classOf(value, b) { var i = 0; while (i < b.length && Math.abs(value) > b[i]) i++; return i; }
  function popup(p) {
    return Object.keys(p).filter(function (k) { return p[k] !== null && p[k] !== ""; })
      .map(function (k) { return esc(k) + ": " + num(p[k], 3); }).join("<br>");
  }
  function build(layer, legend) {
    var data = layer.data, style = layer.style;
    if (style === "density") {
      var key = layer.key || "density", b = breaks(data.features || [], key);
      legend.push({colours: RAMP, label: layer.label});
      return L.geoJSON(data, {
        style: function (f) { var c = RAMP[classOf(f.properties[key] || 0, b)]; return {color: c, weight: 0, fillColor: c, fillOpacity: 0.6, className: "analysis-cell"}; },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); },
      });
    }
    if (style === "gistar") {
      legend.push({categories: GISTAR, label: layer.label});
      return L.geoJSON(data, {
        style: function (f) { var c = GISTAR[f.properties.category] || "#cccccc"; return {color: c, weight: 0, fillColor: c, fillOpacity: 0.65, className: "analysis-cell gistar-" + String(f.properties.category).replace(/[^a-z0-9]/g, "")}; },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); },
      });
    }
    if (style === "areas") {
      legend.push({areas: AREAS, label: layer.label});
      return L.geoJSON(data, {
        style: function (f) { var c = AREAS[f.properties.area] || "#7f8c8d"; return {color: c, weight: 2, fillColor: c, fillOpacity: f.properties.area === "control" ? 0.08 : 0.25, className: "analysis-area area-" + f.properties.area}; },
      });
    }
    if (style === "discs" || style === "existing") {
      var colour = style === "discs" ? "#8e44ad" : "#1e8449";
      return L.geoJSON(data, {style: function () { return {color: colour, weight: 1, fillColor: colour, fillOpacity: 0.15, className: "analysis-disc " + style}; },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }});
    }
    if (style === "sectors") {
      return L.geoJSON(data, {style: function () { return {color: "#1e8449", weight: 1, fillColor: "#1e8449", fillOpacity: 0.18, className: "analysis-sector"}; },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }});
    }
    if (style === "seen") {
      legend.push({seen: true, label: layer.label});
      return L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          var seen = !!f.properties.seen, c = seen ? "#1e8449" : "#c0392b";
          return L.circleMarker(latlng, {radius: 3, color: c, weight: 0, fillColor: c, fillOpacity: 0.75, className: "analysis-point " + (seen ? "point-seen" : "point-unseen")});
        },
      });
    }
    if (style === "sites") {
      return L.geoJSON(data, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 8, color: "#1c2833", weight: 2, fillColor: "#8e44ad", fillOpacity: 0.95, className: "analysis-site"}); },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); l.bindTooltip(String(f.properties.rank), {permanent: true, direction: "center", className: "site-rank"}); },
      });
    }
    return L.geoJSON(data, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 3, color: "#34495e", weight: 0, fillColor: "#34495e", fillOpacity: 0.55, className: "analysis-point"}); },
    });
  }
  function drawLegend(el, items) {
    var out = [];
    items.forEach(function (item) {
      if (item.colours) {
        out.push("<li><strong>" + esc(item.label) + "</strong>: " + esc(el.dataset.low) + " " +
          item.colours.map(function (c) { return '<span class="swatch" data-bg="' + esc(c) + '"></span>'; }).join("") + " " + esc(el.dataset.high) + "</li>");
      }
      if (item.categories) {
        Object.keys(item.categories).forEach(function (k) {
          out.push('<li><span class="swatch" data-bg="' + esc(item.categories[k]) + '"></span> ' + esc(el.dataset[k.replace(/[^a-z0-9]/g, "")] || k) + "</li>");
        });
      }
      if (item.seen) {
        out.push('<li><span class="swatch" data-bg="#1e8449"></span> ' + esc(el.dataset.seen) + "</li>");
        out.push('<li><span class="swatch" data-bg="#c0392b"></span> ' + esc(el.dataset.unseen) + "</li>");
      }
      if (item.areas) {
        Object.keys(item.areas).forEach(function (k) {
          out.push('<li><span class="swatch" data-bg="' + esc(item.areas[k]) + '"></span> ' + esc(el.dataset[k] || k) + "</li>");
        });
      }
    });
    el.innerHTML = out.join("");
    // colours set through the DOM: a style="" attribute in markup is refused by the Content-Security-Policy
    Array.prototype.forEach.call(el.querySelectorAll("[data-bg]"), function (s) { s.style.background = s.getAttribute("data-bg"); });
  }
  function init() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") return;
    var layers = JSON.parse(document.getElementById("analysis-layers").textContent);
    var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
    var map = L.map(el);
    var base = L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: 19}).addTo(map);
    var overlays = {}, bounds = L.latLngBounds([]), legend = [];
    layers.forEach(function (layer) {
      if (!layer.data || !(layer.data.features || []).length) return;
      var l = build(layer, legend).addTo(map);
      overlays[layer.label] = l;
      var b = l.getBounds();
      if (b.isValid()) bounds.extend(b);
    });
    L.control.layers({"OpenStreetMap": base}, overlays, {collapsed: window.innerWidth < 700}).addTo(map);
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [10, 10], maxZoom: 16}); else map.setView([-3.996, -79.2017], 13);
    var legendEl = document.getElementById("analysis-legend");
    if (legendEl) drawLegend(legendEl, legend);
    el.dataset.ready = "1";
    window.centinelaMap = map;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
