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
