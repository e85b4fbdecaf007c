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

// 4. Names never overlap, and none is cut by the map's edge. Labels (ui.maps.label_layer) are placed in order
// of data-rank (then the order added); a label beside a point (data-beside) tries right, left, above and
// below it, then its four corners, and covers neither another label nor a small mark (an ayil aimak's dot, a
// location's circle; a name centred in its area, an oblast's or a raion's, may); one that fits nowhere is
// hidden until a zoom makes room (its shape still gives its name on hover).
// Run after each zoom, resize and added layer.
(function () {
  // Around a mark of radius about `gap` px (data-beside="gap"): right, left, above, below, then the corners.
  function beside(gap) {
    var g = gap + 'px', h = Math.round(gap * 0.75) + 'px', v = Math.round(gap * 0.4) + 'px';
    return ['translate(' + g + ',-50%)', 'translate(calc(-100% - ' + g + '),-50%)',
            'translate(-50%,calc(-100% - ' + h + '))', 'translate(-50%,' + h + ')',
            'translate(' + h + ',calc(-100% - ' + v + '))', 'translate(' + h + ',' + v + ')',
            'translate(calc(-100% - ' + h + '),calc(-100% - ' + v + '))', 'translate(calc(-100% - ' + h + '),' + v + ')'];
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function inside(box, frame) {
    return box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;
  }
  function declutter(map) {
    var container = map.getContainer();
    var frame = container.getBoundingClientRect();
    var labels = Array.prototype.slice.call(container.querySelectorAll('.yj-label > div[data-rank]'));
    labels.sort(function (a, b) { return Number(a.dataset.rank) - Number(b.dataset.rank); });  // stable
    var marks = Array.prototype.slice.call(container.querySelectorAll('path.leaflet-interactive'))
      .map(function (mark) { return mark.getBoundingClientRect(); })
      .filter(function (box) { return box.width > 0 && box.width <= 24 && box.height <= 24; });
    var kept = [];
    labels.forEach(function (label) {
      var gap = label.getAttribute('data-beside');
      var places = gap ? beside(Number(gap)) : [''];
      label.style.visibility = 'hidden';
      for (var i = 0; i < places.length; i++) {
        if (places[i]) { label.style.transform = places[i]; }
        var box = label.getBoundingClientRect();
        var free = !kept.some(function (other) { return overlaps(box, other); }) &&
          !(gap && marks.some(function (mark) { return overlaps(box, mark); }));
        if (free && inside(box, frame)) {
          label.style.visibility = '';
          kept.push(box);
          return;
        }
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

// 5. On a touch screen one finger scrolls the page, as everywhere else on it: the map no longer pans under it
// (Leaflet's CSS then lets the browser scroll), and two fingers or + and − move and zoom it. A phone's
// swipe across a map that filled most of its screen panned Kyrgyzstan away instead (issue 31).
if (window.matchMedia && window.matchMedia('(pointer: coarse)').matches) {
  L.Map.mergeOptions({dragging: false});
}

// 6. The view fits its frame at the frame's final size. The map is made before the page has laid its frame
// out, and Leaflet keeps the centre and zoom through a resize: on a phone, or a projector's full-height frame,
// the country was drawn small in a corner. Until the viewer moves the map, a resize fits it again. (Heard as
// the events go down, not up: the zoom buttons keep their events to themselves.)
(function () {
  var fitBounds = L.Map.prototype.fitBounds;
  L.Map.prototype.fitBounds = function (bounds, options) {
    this._yjFit = [bounds, options];
    return fitBounds.call(this, bounds, options);
  };
  L.Map.addInitHook(function () {
    var map = this;
    var container = map.getContainer();
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
      container.addEventListener(name, function () { map._yjMoved = true; }, {capture: true, passive: true});
    });
    map.on('resize', function () {
      if (map._yjFit && !map._yjMoved) {
        fitBounds.call(map, map._yjFit[0], L.extend({}, map._yjFit[1], {animate: false}));
      }
    });
  });
})();
