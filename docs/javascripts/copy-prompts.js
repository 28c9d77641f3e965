/*
 * The copy button copies what can be pasted into Python.
 *
 * A doctest block shows ">>> " and "... " prompts and the output below them;
 * pasted as they are, they fail. Just before the theme's copy button copies
 * a block, this script gives the button the block's input lines only, without
 * their prompts, through the button's data-clipboard-text attribute (which
 * the theme copies in preference to the block's text). A block with no ">>> "
 * line is left as it is.
 */
(function () {
  "use strict";

  var PROMPT = /^(>>>|\.\.\.)( |$)/;

  function inputLines(text) {
    var lines = text.replace(/\n$/, "").split("\n");
    if (!lines.some(function (line) { return line.startsWith(">>> ") || line === ">>>"; })) {
      return null;
    }
    var kept = [];
    var inInput = false;
    lines.forEach(function (line) {
      if (line.startsWith(">>>")) {
        inInput = true;
      } else if (!(inInput && line.startsWith("..."))) {
        inInput = false; // an output line: it ends the statement
      }
      if (inInput && PROMPT.test(line)) {
        kept.push(line.slice(4));
      }
    });
    return kept.join("\n") + "\n";
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { inputLines: inputLines }; // for the test suite
    return;
  }

  document.addEventListener(
    "click",
    function (event) {
      // the theme's copy buttons (class md-code__button, or md-clipboard in older
      // versions) all name the block they copy in data-clipboard-target
      var button = event.target.closest && event.target.closest("[data-clipboard-target]");
      if (!button) {
        return;
      }
      var selector = button.getAttribute("data-clipboard-target");
      var code = selector && document.querySelector(selector);
      if (!code) {
        return;
      }
      var stripped = inputLines(code.textContent);
      if (stripped === null) {
        button.removeAttribute("data-clipboard-text");
      } else {
        button.setAttribute("data-clipboard-text", stripped);
      }
    },
    true // capture: before the theme's own handler copies
  );
})();
