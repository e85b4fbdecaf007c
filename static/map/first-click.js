// Leaflet focuses the map on the first mouse-down (for its arrow-key panning) with a plain focus(),
// and then restores only the map frame's own scroll. When the map runs below the fold, the browser
// scrolls the page to show the whole map between mouse-down and mouse-up, so the first click lands
// elsewhere and is lost (seen in Chromium at 1366x900). Focus without scrolling instead; keyboard
// panning stays. Loaded after leaflet.js and before any map is made.
L.Map.Keyboard.prototype._onMouseDown = function () {
  if (!this._focused) {
    this._map._container.focus({preventScroll: true});
  }
};
