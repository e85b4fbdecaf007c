// The map page draws a session's first map before the rest of the page (issue 15): the page marks itself
// as waiting (an element of class st-key-yj-map-first, ui/state.py), and this frame, once its map has drawn its
// paths, sends the map's value {painted: true}, which reruns the page with everything else. A frame on a
// page that waits for nothing, or not in a page at all (the downloaded map), sends nothing.
(function () {
  if (window.parent === window || window.YJ_PREVIEW) return;  // not in a page, or the first response's preview
  var started = Date.now();
  var timer = setInterval(function () {
    if (Date.now() - started > 30000) clearInterval(timer);
    if (!document.querySelector(".leaflet-overlay-pane path")) return;
    clearInterval(timer);
    requestAnimationFrame(function () {
      var waiting = false;
      try {
        waiting = window.parent.document.querySelector(".st-key-yj-map-first") !== null;
      } catch (e) {}  // a page of another origin: the page's timer stops its wait instead
      if (waiting) {
        window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                                   value: {painted: true}, dataType: "json"}, "*");
      }
    });
  }, 25);
})();
