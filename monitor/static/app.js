// reviewwacht: the one script of the web app (no inline scripts: the CSP forbids them).
// A "copy" button copies the text of the element named in its data-copy attribute.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) return;
  var source = document.getElementById(button.dataset.copy);
  if (!source) return;
  var text = source.value !== undefined ? source.value : source.textContent;
  navigator.clipboard.writeText(text).then(function () {
    button.textContent = "Gekopieerd";
  }, function () {
    var range = document.createRange();
    range.selectNodeContents(source);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    button.textContent = "Geselecteerd: kopieer met Ctrl+C";
  });
});
