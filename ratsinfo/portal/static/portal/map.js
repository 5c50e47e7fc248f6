/* Small Leaflet maps: nothing is fetched from the tile server until the visitor clicks
   "Karte anzeigen" (privacy). Without JavaScript the list of places is the whole map. */
(function () {
  "use strict";
  function show(button) {
    var canvas = document.getElementById(button.getAttribute("data-target"));
    if (!canvas || !window.L) { return; }
    var points = JSON.parse(canvas.getAttribute("data-points") || "[]");
    if (!points.length) { return; }
    canvas.hidden = false;
    button.hidden = true;
    var map = window.L.map(canvas, { scrollWheelZoom: false });
    window.L.tileLayer(canvas.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: canvas.getAttribute("data-attribution") || ""
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = window.L.marker([p.lat, p.lon], { title: p.label, alt: p.label }).addTo(map);
      var label = document.createElement(p.url ? "a" : "span");
      label.textContent = p.label;
      if (p.url) { label.href = p.url; }
      marker.bindPopup(label);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 16); } else { map.fitBounds(bounds, { padding: [24, 24] }); }
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", "Karte (Orte wie in der Liste oben)");
  }
  function init() {
    document.querySelectorAll("button.map-show").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { show(button); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
