// Adds a suggested CPV code to the form's CPV picker when its button is pressed.
// The picker is the element named by data-cpv-target: a <select multiple> (the option is
// selected) or a text input (the code is appended, comma-separated).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-cpv-code]");
  if (!button) return;
  var box = button.closest("[data-cpv-target]");
  var target = box && document.querySelector(box.getAttribute("data-cpv-target"));
  if (!target) return;
  var code = button.getAttribute("data-cpv-code");
  var digits = button.getAttribute("data-cpv-digits");
  if (target.tagName === "SELECT") {
    Array.prototype.forEach.call(target.options, function (option) {
      if (option.value === code || option.value === digits) option.selected = true;
    });
  } else {
    var codes = target.value.split(/[\s,;]+/).filter(Boolean);
    if (codes.indexOf(code) === -1) codes.push(code);
    target.value = codes.join(", ");
  }
  target.dispatchEvent(new Event("change", { bubbles: true }));
  button.setAttribute("aria-pressed", "true");
  button.disabled = true;
});
