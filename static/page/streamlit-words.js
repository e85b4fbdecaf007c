// Streamlit's and Plotly's own button words in the reader's language (ui/locales/streamlit.toml). Neither can
// be told another language, so the page's first HTML carries the table (ui.server) and this replaces a label,
// tooltip or title that is exactly one of its English words, as each appears. The language is the URL's
// (`?lang=`, English when absent): the app keeps it there. Switching back to English puts the English back.
// Also names the page's language (<html lang>) for screen readers and the browser's own translation offer.
(function (WORDS) {
  var ATTRIBUTES = ['aria-label', 'title', 'data-title', 'placeholder'];
  var SELECTOR = '[aria-label],[title],[data-title],[placeholder]';
  // Text (not an attribute) is replaced only inside Streamlit's tooltips, its running indicator, its
  // keyboard skip link, the file uploader's drop zone (the edit page's upload) and the live region a screen
  // reader hears a selectbox through.
  var TEXT_IN = '[data-testid="stTooltipContent"],[data-testid="stStatusWidget"],[data-testid="stSkipToContent"],' +
    '[data-testid="stFileUploaderDropzone"],[role="log"]';
  var english = new WeakMap(); // element or text node -> its English words (per attribute for elements)
  var touched = new Set();
  var shown = 'en';
  var KNOWN = new Set();
  Object.keys(WORDS).forEach(function (lang) { Object.keys(WORDS[lang]).forEach(function (w) { KNOWN.add(w); }); });

  function language() {
    var lang = new URLSearchParams(location.search).get('lang');
    return WORDS[lang] ? lang : 'en';
  }

  // A word with a count in it ("2 options available.", what a screen reader hears from a selectbox) is looked
  // up with the count as {n}.
  function counted(value) { return value.replace(/\d+/, '{n}'); }
  function known(value) { return KNOWN.has(value) || (/\d/.test(value) && KNOWN.has(counted(value))); }

  function say(original) {
    if (shown === 'en') return original;
    if (WORDS[shown][original]) return WORDS[shown][original];
    var template = WORDS[shown][counted(original)];
    return template ? template.replace('{n}', original.match(/\d+/)[0]) : original;
  }

  function attributes(element) {
    var originals = english.get(element) || {};
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var name = ATTRIBUTES[i], value = element.getAttribute(name);
      if (value === null) continue;
      var original = originals[name];
      // A value that is neither ours nor its original was written anew by Streamlit or Plotly.
      if (original === undefined || (value !== original && value !== say(original))) {
        if (!known(value)) continue;
        original = originals[name] = value;
        english.set(element, originals);
        touched.add(element);
      }
      var wanted = say(original);
      if (value !== wanted) element.setAttribute(name, wanted);
    }
  }

  function text(node) {
    var value = node.nodeValue, original = english.get(node);
    if (original === undefined || (value !== original && value !== say(original))) {
      if (!known(value.trim())) return;
      original = value.trim();
      english.set(node, original);
      touched.add(node);
    }
    var wanted = say(original);
    if (value !== wanted) node.nodeValue = wanted;
  }

  function within(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      if (root.parentElement && root.parentElement.closest(TEXT_IN)) text(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.matches(SELECTOR)) attributes(root);
    root.querySelectorAll(SELECTOR).forEach(attributes);
    var boxes = root.matches(TEXT_IN) ? [root] : (root.closest(TEXT_IN) ? [root] : root.querySelectorAll(TEXT_IN));
    boxes.forEach(function (box) {
      var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), node;
      while ((node = walker.nextNode())) text(node);
    });
  }

  function relabel() {
    var lang = language();
    if (lang === shown) return;
    shown = lang;
    document.documentElement.lang = lang;
    touched.forEach(function (node) { // each straight from its English: its value is in the last language
      if (!node.isConnected) { touched.delete(node); return; }
      var original = english.get(node);
      if (node.nodeType === Node.TEXT_NODE) { node.nodeValue = say(original); return; }
      Object.keys(original).forEach(function (name) {
        if (node.hasAttribute(name)) node.setAttribute(name, say(original[name]));
      });
    });
    if (lang !== 'en' && document.body) within(document.body); // what appeared while in English
  }

  new MutationObserver(function (changes) {
    relabel();
    if (shown === 'en' && touched.size === 0) return; // nothing to do in English until a switch
    for (var i = 0; i < changes.length; i++) {
      var change = changes[i];
      if (change.type === 'attributes') attributes(change.target);
      else if (change.type === 'characterData') within(change.target);
      else change.addedNodes.forEach(within);
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                        attributes: true, attributeFilter: ATTRIBUTES});
  relabel();
})(__WORDS__);
