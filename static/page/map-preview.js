// The view's map in the first response (ui/preview.py): placed where the page's live map will lie, shown while
// Streamlit boots (its root hidden meanwhile, so nothing moves under it), and handed over once the live map has
// drawn. A click on it is replayed on the live map.
(function () {
  var box = document.getElementById("yj-preview");
  var hide = document.getElementById("yj-preview-style");
  var place = JSON.parse(document.getElementById("yj-preview-place").textContent);
  var frame = document.createElement("iframe");
  frame.title = box.dataset.title;
  frame.style.cssText = "border:0;width:100%;height:100%;display:block";
  box.appendChild(frame);
  var LIVE = 'iframe[src*="/streamlit_folium.st_folium/"]';
  var path = location.pathname;
  var started = Date.now();
  var pending = null;
  var ran = false;

  // A click on the preview (from its frame): kept for the live map.
  window.yjPreviewClicked = function (properties, latlng) {
    pending = {properties: properties, latlng: latlng};
  };

  // What lies above the map, as the page draws it (ui/present.py's PAGE_CSS and PRESENTATION_CSS, Streamlit's
  // own spacing and colours), in the page's font: shown in its place until the hand-over, and its height is where
  // the map starts. The sidebar's place is shaded as Streamlit's sidebar is.
  var shell = document.createElement("div");
  shell.setAttribute("aria-hidden", "true");
  var sidebarShade = document.createElement("div");
  sidebarShade.setAttribute("aria-hidden", "true");
  var INK = "color:rgb(47,45,43);";  // Streamlit's light theme, as the page computes it
  var FAINT = INK + "opacity:0.6;";
  var BORDERED = "border:1px solid rgb(220,216,212);border-radius:8px;background:#fff;padding:0 12px;";
  function text(content, css, top, part) {
    var div = document.createElement("div");
    div.style.cssText = "position:absolute;left:0;right:0;margin:0;top:" + top + "px;" + css;
    div.textContent = content;
    div.dataset.part = part;  // which of the page's texts it stands for (tests/e2e/test_preview.py)
    shell.appendChild(div);
    return div;
  }

  // A button's face as Streamlit draws it: 40 px high, its label in 14 px type, centred.
  function button(parent, label, css) {
    var face = document.createElement("div");
    face.style.cssText = "box-sizing:border-box;height:40px;display:flex;align-items:center;justify-content:center;"
      + "font-size:14px;line-height:22.4px;white-space:nowrap;" + css;
    face.textContent = label;
    parent.appendChild(face);
    return face;
  }

  function tall(element) {
    return element.getBoundingClientRect().height;  // not offsetHeight, which rounds to a whole pixel
  }

  function layout() {
    var width = window.innerWidth, height = window.innerHeight;
    var phone = width <= 640;
    var sidebar = !place.present && width > 768 ? 300 : 0;
    var pad = width >= 864 ? 80 : 16;
    var main = width - sidebar - 2 * pad;
    shell.textContent = "";
    shell.style.cssText = "position:fixed;top:0;height:0;z-index:999;font-family:'Source Sans',sans-serif;"
      + "left:" + (sidebar + pad) + "px;width:" + main + "px;visibility:" + box.style.visibility;
    sidebarShade.style.cssText = "position:fixed;left:0;top:0;bottom:0;z-index:999;background:rgb(248,248,247);"
      + "width:" + sidebar + "px;visibility:" + box.style.visibility
      + (sidebar ? ";box-shadow:1px 0 rgb(231,229,227)" : "");  // the sidebar's edge, a pixel outside it
    if (place.present) {  // the title, then the map in the wider of two columns, as high as the screen allows
      var top0 = phone ? 72 : 16;
      var title = text(place.title, "color:#000;font-size:" + (phone ? 25.6 : 38.4) + "px;font-weight:700;line-height:1.2",
                       top0, "title");
      var mapWidth = phone ? main : (main - 10.67) * 0.75;
      return {left: pad, top: top0 + tall(title) + 6.4, width: mapWidth, height: height - 215};
    }
    var caption = FAINT + "font-size:14px;line-height:1.6";
    var y = phone ? 72 : 35.2;
    var h1 = text(place.title, INK + "font-size:" + (phone ? 25.6 : 33.6) + "px;font-weight:700;line-height:1.2", y,
                  "title");
    y += tall(h1) + 16;
    y += tall(text(place.subtitle, caption, y, "subtitle")) + 16;
    if (place.crumb) {  // the steps back, the last (where the view is) greyed, then the filters as chips
      var crumbs = text("", INK + "display:flex;flex-wrap:wrap;align-items:center;gap:16px", y, "crumb");
      place.crumb.steps.forEach(function (label, i) {
        var last = i === place.crumb.steps.length - 1;
        button(crumbs, (i ? "› " : "") + label, last ? "opacity:0.4" : "");
      });
      place.crumb.chips.forEach(function (label) { button(crumbs, label + " ✕", BORDERED); });
      y += tall(crumbs) + 16;
    }
    var numbers = text("", INK, y, "numbers");
    numbers.innerHTML = place.numbers;  // our own markup (ui.widgets.numbers_html), its text escaped there
    y += tall(numbers) + 16;
    if (place.heading) {  // the drilled place's heading, its way back in a quarter column (below it on a phone)
      var backWidth = phone ? main : (main - 32) / 4;
      var heading = text(place.heading, INK + "font-size:28px;font-weight:600;line-height:1.2;padding:12px 0 16px;"
                         + "right:auto;width:" + (phone ? main : main - backWidth - 32) + "px", y, "heading");
      var back = button(shell, place.back, INK + BORDERED + "position:absolute;width:" + backWidth + "px;left:"
                        + (main - backWidth) + "px;top:" + (phone ? y + tall(heading) : y) + "px");
      back.dataset.part = "back";
      y += phone ? tall(heading) + 40 + 16 : Math.max(tall(heading), 40 + 16);
    }
    y += tall(text(place.hint, caption, y, "hint")) + 16;
    return {left: sidebar + pad, top: y, width: main, height: 500};
  }

  function put(rect) {
    box.style.left = rect.left + "px";
    box.style.top = rect.top + "px";
    box.style.width = rect.width + "px";
    box.style.height = rect.height + "px";
  }

  function show() {
    if (!box.isConnected) return;
    box.style.visibility = "visible";
    put(layout());
  }

  document.body.appendChild(sidebarShade);
  document.body.appendChild(shell);
  // Placed at once, and again once the page's font is here (what the title wraps by; index.html asks for it
  // first thing): the two agree unless the fallback font wraps the title differently.
  show();
  // The map is written into its frame here and now, not loaded as a srcdoc: a srcdoc loads in a task of its
  // own, and on a phone's CPU Streamlit's frontend, which runs once the page is parsed, often came first and
  // held the preview back by most of a second. Written, the frame's scripts run before this script returns.
  try {
    var written = frame.contentDocument;
    written.open();
    written.write(JSON.parse(document.getElementById("yj-preview-doc").textContent));
    written.close();
  } catch (error) {  // never a page left hidden
    finish();
    throw error;
  }
  if (place.font && window.FontFace && document.fonts) {
    var font = new FontFace("Source Sans", "url(" + place.font + ")", {weight: "200 900"});
    document.fonts.add(font);
    font.load().then(show, function () {});
  }

  function finish() {
    box.remove();
    shell.remove();
    sidebarShade.remove();
    if (hide) hide.remove();
    window.yjPreviewClicked = undefined;
  }

  function same(a, b) {
    return ["iso_code", "location_id", "raion_code", "aa_code"].every(function (k) { return a[k] === b[k]; });
  }

  // The click made on the preview, on the same shape of the live map: streamlit-folium's own click handler
  // takes it from there (a drill-down, a place opened), as if it had been made there.
  function replay(live) {
    var click = pending;
    pending = null;
    if (!click || !live.map) return;
    var layers = live.map._layers;
    for (var id in layers) {
      var layer = layers[id];
      if (layer.feature && layer.feature.properties && same(layer.feature.properties, click.properties)) {
        layer.fire("click", {latlng: live.L.latLng(click.latlng)}, true);
        return;
      }
    }
  }

  // A zoom or pan made on the preview (noted by leaflet-fixes.js): the live map, as large and in the same
  // place, is set to the same view, and keeps it through a resize as it would have had it been moved itself.
  function sameView(live) {
    var shown = frame.contentWindow && frame.contentWindow.map_div;
    if (!shown || !shown._yjMoved || !live.map) return;
    live.map.setView(shown.getCenter(), shown.getZoom(), {animate: false});
    live.map._yjMoved = true;
  }

  function handOver(live) {
    try { sameView(live); } catch (e) {}  // never a preview left up
    // Two frames: the live map's paths are painted, not only attached, before the preview goes.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        finish();
        replay(live);
      });
    });
  }

  var drawnAt = 0;
  function settled() {
    var app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute("data-test-script-state") === "notRunning"
      && !document.querySelector(".st-key-yj-map-first") && !document.querySelector('[data-testid="stSkeleton"]');
  }

  // No live map to hand over to: another page was opened, or the run ended with nothing of a map on the page
  // (not even the skeleton an element stands as while its code arrives) for half a second, or 30 s went by.
  var idleSince = 0;
  function noMapComing() {
    var app = document.querySelector('[data-testid="stApp"]');
    var state = app && app.getAttribute("data-test-script-state");
    if (state === "running") ran = true;
    var idle = ran && state === "notRunning" && !document.querySelector('[data-testid="stSkeleton"]');
    idleSince = idle ? idleSince || Date.now() : 0;
    return location.pathname !== path || (idleSince && Date.now() - idleSince > 500) || Date.now() - started > 30000;
  }

  (function watch() {
    var live = document.querySelector(LIVE);
    if (live) {
      var rect = live.getBoundingClientRect();
      if (rect.width > 0 && box.style.visibility === "visible"
          && (Math.abs(rect.left - box.offsetLeft) > 0.5 || Math.abs(rect.top - box.offsetTop) > 0.5
              || Math.abs(rect.width - box.offsetWidth) > 0.5 || Math.abs(rect.height - box.offsetHeight) > 0.5)) {
        put({left: rect.left, top: rect.top, width: rect.width, height: rect.height});  // the live map's own place
      }
      var win = live.contentWindow;
      var drawn = false;
      try {
        drawn = !!(win && win.map && win.document.querySelector(".leaflet-overlay-pane path"));
      } catch (e) {}
      if (drawn && !drawnAt) drawnAt = Date.now();
      // A click waits for nothing more; else the page is shown once it has drawn all it will (the rest of a
      // session's first map page follows the map, ui.state.map_first), so nothing of it moves once shown.
      if (drawn && (pending || settled() || Date.now() - drawnAt > 4000)) { handOver(win); return; }
    } else if (noMapComing()) {
      finish();
      return;
    }
    setTimeout(watch, 16);
  })();
  window.addEventListener("resize", function () { if (box.isConnected) put(layout()); });
})();
