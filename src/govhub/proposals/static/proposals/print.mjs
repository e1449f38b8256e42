// Receipt pages: the "Print this receipt" button, shown only when this script runs.
for (const button of document.querySelectorAll("[data-print-button]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
