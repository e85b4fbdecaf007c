// Our changes to Leaflet's defaults, loaded right after leaflet.js and before any map is made
// (and inlined into the downloaded map).

// 1. A first click is never lost. Leaflet focuses the map on the first mouse-down (for its arrow-key
// panning) with a plain focus(), then restores only the map frame's own scroll. When the map runs below
// the fold, the browser scrolls the page to show the whole map between mouse-down and mouse-up, so the
// first click lands elsewhere (seen in Chromium at 1366x900). Focus without scrolling; keyboard panning stays.
L.Map.Keyboard.prototype._onMouseDown = function () {
  if (!this._focused) {
    this._map._container.focus({preventScroll: true});
  }
};

// 2. Kilometres only: the programme's users measure in km.
L.Control.Scale.prototype.options.imperial = false;

// 3. The attribution names the data (each layer adds its source), not the library's link and flag.
L.Control.Attribution.prototype.options.prefix = false;

// 4. Names never overlap. Where two map labels (ui.maps.label_layer) would cover each other, the one of
// lower data-rank (then the one added first) stays and the other is hidden until a zoom makes room; the
// shape under a hidden name still gives it on hover. Run after each zoom, resize and added layer.
(function () {
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function declutter(map) {
    var labels = Array.prototype.slice.call(map.getContainer().querySelectorAll('.yj-label > div[data-rank]'));
    labels.forEach(function (label) { label.style.visibility = ''; });
    labels.sort(function (a, b) { return Number(a.dataset.rank) - Number(b.dataset.rank); });  // stable
    var kept = [];
    labels.forEach(function (label) {
      var box = label.getBoundingClientRect();
      if (kept.some(function (other) { return overlaps(box, other); })) {
        label.style.visibility = 'hidden';
      } else {
        kept.push(box);
      }
    });
  }
  L.Map.addInitHook(function () {
    var map = this, pending = null;
    function soon() {
      if (pending === null) {
        pending = setTimeout(function () { pending = null; declutter(map); }, 0);
      }
    }
    map.on('zoomend resize layeradd', soon);
  });
})();
