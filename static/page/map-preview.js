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
  // own spacing), measured in the page's font: its height is where the map starts.
  var measure = document.createElement("div");
  measure.setAttribute("aria-hidden", "true");
  measure.style.cssText = "position:absolute;left:-10000px;top:0;visibility:hidden;font-family:'Source Sans',sans-serif";
  function text(content, css) {
    var div = document.createElement("div");
    div.style.cssText = css;
    div.textContent = content;
    measure.appendChild(div);
    return div;
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
    measure.textContent = "";
    measure.style.width = main + "px";
    if (place.present) {  // the title, then the map in the wider of two columns, as high as the screen allows
      var size = phone ? 25.6 : 38.4;
      var title = text(place.title, "font-size:" + size + "px;font-weight:700;line-height:1.2");
      var mapWidth = phone ? main : (main - 10.67) * 0.75;
      return {left: pad, top: (phone ? 72 : 16) + tall(title) + 6.4, width: mapWidth, height: height - 215};
    }
    var h1 = text(place.title, "font-size:" + (phone ? 25.6 : 33.6) + "px;font-weight:700;line-height:1.2");
    var caption = "font-size:14px;line-height:1.6";
    var subtitle = text(place.subtitle, caption);
    var numbers = document.createElement("div");
    numbers.innerHTML = place.numbers;  // our own markup (ui.widgets.numbers_html), its text escaped there
    measure.appendChild(numbers);
    var hint = text(place.hint, caption);
    var top = (phone ? 72 : 35.2) + tall(h1) + 16 + tall(subtitle) + 16;
    if (place.crumb) top += 40 + 16;
    top += tall(numbers) + 16;
    if (place.drilled) top += 61.6;  // the drilled place's heading and its way back
    top += tall(hint) + 16;
    return {left: sidebar + pad, top: top, width: main, height: 500};
  }

  function put(rect) {
    box.style.left = rect.left + "px";
    box.style.top = rect.top + "px";
    box.style.width = rect.width + "px";
    box.style.height = rect.height + "px";
  }

  function show() {
    if (!box.isConnected) return;
    put(layout());
    box.style.visibility = "visible";
  }

  document.body.appendChild(measure);
  frame.srcdoc = JSON.parse(document.getElementById("yj-preview-doc").textContent);
  // Placed at once, and again once the page's font is here (what the title wraps by; index.html asks for it
  // first thing): the two agree unless the fallback font wraps the title differently.
  show();
  if (place.font && window.FontFace && document.fonts) {
    var font = new FontFace("Source Sans", "url(" + place.font + ")", {weight: "200 900"});
    document.fonts.add(font);
    font.load().then(show, function () {});
  }

  function finish() {
    box.remove();
    measure.remove();
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

  function handOver(live) {
    // Two frames: the live map's paths are painted, not only attached, before the preview goes.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        finish();
        replay(live);
      });
    });
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
      if (drawn) { handOver(win); return; }
    } else if (noMapComing()) {
      finish();
      return;
    }
    setTimeout(watch, 16);
  })();
  window.addEventListener("resize", function () { if (box.isConnected && !document.querySelector(LIVE)) put(layout()); });
})();
