// Draws the map layers a page hands over in #map-layers (GeoJSON), with popups, a layer switcher and,
// when the page asks for it, a point picker that fills the lat/lon inputs. Tiles are optional: the vector
// layers draw even when the tile server cannot be reached.
(function () {
  "use strict";
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  var STYLE = {
    urban: {color: "#b03a2e", weight: 2, fillOpacity: 0.12},
    rural: {color: "#1e8449", weight: 2, fillOpacity: 0.08},
    barrio: {color: "#2471a3", weight: 1.5, fillOpacity: 0.2},
  };
  // camera status -> colour: the cameras and coverage layers of the network pages
  var STATUS_COLOUR = {online: "#1e8449", degraded: "#f1c40f", offline: "#c0392b", rejected: "#8e44ad", maintenance: "#d68910", unknown: "#7f8c8d", inactive: "#34495e"};
  function cameraPopup(p) {
    return '<strong><a href="' + esc(p.url) + '">' + esc(p.code) + "</a></strong> · " + esc(p.name) + "<br>" +
      esc(p.status_label) + " · " + esc(p.lifecycle) + "<br>" + esc(p.site);
  }
  function coverageStyle(f) {
    var c = STATUS_COLOUR[f.properties.status] || STATUS_COLOUR.unknown;
    return {color: c, weight: 1, fillColor: c, fillOpacity: 0.18, className: "coverage-sector status-" + f.properties.status};
  }
  function cameraStyle(f) {
    var c = STATUS_COLOUR[f.properties.status] || STATUS_COLOUR.unknown;
    return {radius: 6, color: "#1c2833", weight: 1, fillColor: c, fillOpacity: 0.95,
      className: "camera-marker status-" + f.properties.status + " camera-" + f.properties.code};
  }
  // Live status (the network dashboard): the page names a URL (data-live-url on an ancestor of #map) answering
  // {cameras: GeoJSON, coverage: GeoJSON}; every data-live-interval ms the layers take the new statuses in place
  // (colours, status-* classes, popups), cameras added or moved are redrawn, removed ones dropped. The map's view
  // is left as the user set it.
  function restyle(layer, f, styleFn) {
    var old = layer.feature.properties;
    layer.feature = f;
    layer.setStyle(styleFn(f));
    var node = layer.getElement ? layer.getElement() : null;
    if (node && old.status !== f.properties.status) {
      node.classList.remove("status-" + old.status);
      node.classList.add("status-" + f.properties.status);
    }
    if (layer.getPopup()) layer.setPopupContent(cameraPopup(f.properties)); else layer.bindPopup(cameraPopup(f.properties));
  }
  function refreshLayer(group, collection, styleFn) {
    var fresh = {};
    (collection.features || []).forEach(function (f) { fresh[f.properties.id] = f; });
    var kept = {};
    group.eachLayer(function (layer) {
      var f = fresh[layer.feature.properties.id];
      if (!f || f.properties.code !== layer.feature.properties.code ||
          JSON.stringify(f.geometry) !== JSON.stringify(layer.feature.geometry)) {
        group.removeLayer(layer);
        return;
      }
      kept[f.properties.id] = true;
      restyle(layer, f, styleFn);
    });
    var added = 0;
    Object.keys(fresh).forEach(function (id) { if (!kept[id]) { group.addData(fresh[id]); added++; } });
    return added;
  }
  function startLive(el, layers) {
    var holder = el.closest("[data-live-url]");
    if (!holder || !window.fetch || !(layers.cameras || layers.coverage)) return;
    var url = holder.dataset.liveUrl, every = parseInt(holder.dataset.liveInterval, 10) || 10000, busy = false;
    var stale = holder.querySelector(".map-stale");
    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (data) {
          var added = 0;
          if (layers.coverage && data.coverage) added += refreshLayer(layers.coverage, data.coverage, coverageStyle);
          if (layers.cameras && data.cameras) added += refreshLayer(layers.cameras, data.cameras, cameraStyle);
          if (added && layers.cameras) layers.cameras.bringToFront();  // new sectors must not cover the markers
          el.dataset.liveAt = new Date().toISOString();
          delete el.dataset.liveError;
          if (stale) stale.hidden = true;
        })
        .catch(function (e) {
          el.dataset.liveError = String(e && e.message || e);
          if (stale) stale.hidden = false;  // the page says so rather than show old colours as live
        })
        .then(function () { busy = false; });
    }
    window.setInterval(tick, every);
  }
  var KIND_COLOUR = {training: "#2874a6", operation: "#239b56", campaign: "#d68910", meeting: "#7d3c98", other: "#7f8c8d"};
  function init() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") return;
    var layersData = JSON.parse(document.getElementById("map-layers").textContent);
    var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
    var map = L.map(el, {preferCanvas: false});
    var base = L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: 19});
    base.addTo(map);
    var overlays = {}, bounds = L.latLngBounds([]);
    var labels = {parishes: el.dataset.labelParishes, barrios: el.dataset.labelBarrios, places: el.dataset.labelPlaces};
    if (layersData.parishes) {
      overlays[labels.parishes] = L.geoJSON(layersData.parishes, {
        style: function (f) {
          var s = Object.assign({}, STYLE[f.properties.kind] || STYLE.rural);
          if (f.properties.approximate) s.dashArray = "6 4";
          return s;
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindPopup('<strong><a href="' + esc(p.url) + '">' + esc(p.name) + "</a></strong><br>" + esc(p.kind_label) +
            " · " + esc(p.code) + "<br>" + esc(p.area_km2) + " km²" + (p.approximate ? "<br><em>aprox.</em>" : ""));
        },
      });
    }
    if (layersData.barrios) {
      overlays[labels.barrios] = L.geoJSON(layersData.barrios, {
        style: function (f) { var s = Object.assign({}, STYLE.barrio); if (f.properties.approximate) s.dashArray = "4 3"; return s; },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindPopup('<strong><a href="' + esc(p.url) + '">' + esc(p.name) + "</a></strong><br>" + esc(p.parish));
        },
      });
    }
    if (layersData.places) {
      overlays[labels.places] = L.geoJSON(layersData.places, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {radius: 6, color: "#512e5f", fillColor: f.properties.verified ? "#8e44ad" : "#d7bde2", fillOpacity: 0.9, weight: 2});
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindPopup('<strong><a href="' + esc(p.url) + '">' + esc(p.name) + "</a></strong><br>" + esc(p.kind_label) +
            "<br>" + esc(p.parish) + (p.barrio ? " · " + esc(p.barrio) : ""));
        },
      });
    }
    if (layersData.activities) {
      overlays[el.dataset.labelActivities || "Actividades"] = L.geoJSON(layersData.activities, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {radius: 7, color: "#1c2833", weight: 1, fillColor: KIND_COLOUR[f.properties.kind] || "#7f8c8d", fillOpacity: 0.9, className: "activity-marker kind-" + f.properties.kind});
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindPopup('<strong><a href="' + esc(p.url) + '">' + esc(p.name) + "</a></strong><br>" + esc(p.kind_label) +
            " · " + esc(p.status) + "<br>" + esc(p.date) + (p.parish ? " · " + esc(p.parish) : ""));
        },
      });
    }
    var live = {};
    if (layersData.coverage) {
      live.coverage = overlays[layersData.coverage.label || "Cobertura"] = L.geoJSON(layersData.coverage, {
        style: coverageStyle,
        onEachFeature: function (f, layer) { layer.bindPopup(cameraPopup(f.properties)); },
      });
    }
    if (layersData.cameras) {
      live.cameras = overlays[layersData.cameras.label || "Cámaras"] = L.geoJSON(layersData.cameras, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, cameraStyle(f)); },
        onEachFeature: function (f, layer) { layer.bindPopup(cameraPopup(f.properties)); },
      });
    }
    // Citizen reports (participation's public map): points of reports, and counts of sensitive ones drawn at their
    // barrio's centre (aggregated: true), never at a report's own place.
    if (layersData.reports) {
      overlays[layersData.reports.label || "Reportes"] = L.geoJSON(layersData.reports, {
        pointToLayer: function (f, latlng) {
          var p = f.properties;
          if (p.aggregated) {
            return L.circleMarker(latlng, {radius: 8 + Math.min(12, 2 * Math.sqrt(p.count)), color: "#7b241c", weight: 1,
              fillColor: "#e6b0aa", fillOpacity: 0.8, className: "report-count"});
          }
          return L.circleMarker(latlng, {radius: 6, color: "#1c2833", weight: 1, fillColor: "#2e86c1", fillOpacity: 0.9,
            className: "report-marker status-" + p.status_code});
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          if (p.aggregated) {
            // a hidden count (too few reports to publish, or one a total would give back) has no number
            layer.bindPopup("<strong>" + esc(p.barrio) + "</strong><br>" + esc(p.category) + ": " +
              esc(p.count_label || p.count));
          } else {
            // staff maps link each report to its page and name the camera a "cámara dañada" report is about
            var code = p.url ? '<a href="' + esc(p.url) + '">' + esc(p.code) + "</a>" : esc(p.code);
            layer.bindPopup("<strong>" + code + "</strong> · " + esc(p.category) + (p.camera ? " · " + esc(p.camera) : "") +
              "<br>" + esc(p.status) + " · " + esc(p.date) + "<br>" + esc(p.text));
          }
        },
      });
    }
    Object.keys(overlays).forEach(function (k) {
      overlays[k].addTo(map);
      var b = overlays[k].getBounds();
      if (b.isValid()) bounds.extend(b);
    });
    L.control.layers({"OpenStreetMap": base}, overlays, {collapsed: window.innerWidth < 700}).addTo(map);
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [10, 10], maxZoom: 16}); else map.setView([-3.996, -79.2017], 13);
    el.dataset.ready = "1";
    window.centinelaMap = map;
    startLive(el, live);

    if (el.dataset.picker === "1") {
      var lat = document.getElementById("id_lat") || document.getElementById("id_centre_lat");
      var lon = document.getElementById("id_lon") || document.getElementById("id_centre_lon");
      var marker = null;
      function place(latlng) {
        if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng, {draggable: true}).addTo(map);
        marker.on("dragend", function () { var ll = marker.getLatLng(); lat.value = ll.lat.toFixed(6); lon.value = ll.lng.toFixed(6); });
      }
      if (lat && lon && lat.value && lon.value) { place([+lat.value, +lon.value]); map.setView([+lat.value, +lon.value], 16); }
      map.on("click", function (e) {
        if (!lat || !lon) return;
        lat.value = e.latlng.lat.toFixed(6); lon.value = e.latlng.lng.toFixed(6);
        place(e.latlng);
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
