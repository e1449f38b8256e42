// Keeps the criteria editor's "weights total" up to date while the buyer types.
// Without JavaScript the total is still shown (as submitted) and checked by the server.
const total = document.querySelector("[data-criteria-total]");
const status = document.querySelector("[data-criteria-status]");

function update() {
  let sum = 0;
  for (const input of document.querySelectorAll("[data-criteria-weight]")) {
    const row = input.closest("[data-criteria-row]");
    const removed = row && row.querySelector("input[name$='-DELETE']:checked");
    const value = Number.parseInt(input.value, 10);
    if (!removed && Number.isFinite(value)) sum += value;
  }
  total.textContent = String(sum);
  status.textContent = sum === 100 ? status.dataset.ok : status.dataset.off;
}

if (total && status) {
  document.addEventListener("input", update);
  document.addEventListener("change", update);
  update();
}
