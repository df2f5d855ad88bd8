// The claim page: bring the highlighted quote into view inside the article's text, with the
// sentences around it, when the page opens (the text box scrolls; the page itself does not).
(function () {
  "use strict";
  var mark = document.getElementById("quote");
  var box = document.getElementById("article-text");
  if (!mark || !box || box.scrollHeight <= box.clientHeight) { return; }
  var top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  box.scrollTop = Math.max(0, top - (box.clientHeight - mark.offsetHeight) / 2);
}());
