// The CPV / NUTS picker: turns the plain text input of CpvCodesField / NutsRegionField into an
// ARIA 1.2 combobox (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/) with a listbox of
// suggestions fetched from the suggest endpoints. Without JavaScript people type codes.
//
// Other scripts add a code through a public event rather than by driving the search box:
//
//   const handled = !root.dispatchEvent(new CustomEvent("govhub:picker-add", {
//     detail: { code: "34970000-7", label: "Traffic-monitoring equipment" },
//     bubbles: true, cancelable: true,
//   }));
//
// dispatched on the [data-app-picker] element or its input. The picker adds the code exactly
// as a person's choice would (and announces it in its live region) and cancels the event, so
// `handled` tells the sender whether an enhanced picker took it or it must fall back to typing
// into the plain text field. Whatever is typed in the search box is left alone.

const DEBOUNCE_MS = 200;
const SEPARATORS = /[\s,;]+/;
const ADD_EVENT = "govhub:picker-add";

const digitsOf = (code) => code.split("-")[0].toUpperCase();

class Picker {
  constructor(root) {
    this.root = root;
    this.input = root.querySelector("input");
    this.url = root.dataset.suggestUrl;
    this.country = root.dataset.country || "";
    this.multiple = root.dataset.multiple === "true";
    this.texts = root.dataset;
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.chosen = new Map(); // code → label

    const id = this.input.id || `picker-${Math.random().toString(36).slice(2)}`;
    this.input.id = id;

    this.listbox = document.createElement("ul");
    this.listbox.id = `${id}-listbox`;
    this.listbox.className = "app-picker__results";
    this.listbox.setAttribute("role", "listbox");
    const label = document.querySelector(`label[for="${id}"]`);
    if (label) {
      label.id = label.id || `${id}-label`;
      this.listbox.setAttribute("aria-labelledby", label.id);
    }
    this.listbox.hidden = true;

    this.status = document.createElement("div");
    this.status.className = "govuk-visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.input.autocomplete = "off";
    this.input.after(this.listbox, this.status);

    this.selectedList = root.querySelector("[data-picker-selected]");
    if (!this.selectedList) {
      this.selectedList = document.createElement("ul");
      this.selectedList.className = "govuk-list app-picker__selected";
      this.selectedList.setAttribute("data-picker-selected", "");
      this.selectedList.setAttribute("aria-label", this.texts.labelSelected || "Selected");
      this.status.after(this.selectedList);
    }
    for (const item of this.selectedList.querySelectorAll("li[data-code]")) {
      const code = item.dataset.code;
      this.chosen.set(code, item.textContent.trim().slice(code.length).trim());
    }

    if (this.multiple) {
      // The typed text becomes the search box; the codes travel in a hidden field.
      this.hidden = document.createElement("input");
      this.hidden.type = "hidden";
      this.hidden.name = this.input.name;
      this.input.removeAttribute("name");
      this.root.append(this.hidden);
      const known = new Set([...this.chosen.keys()].map(digitsOf));
      const leftover = this.input.value
        .split(SEPARATORS)
        .filter((token) => token && !known.has(digitsOf(token)));
      this.input.value = leftover.join(", ");
      const form = this.input.form;
      if (form) form.addEventListener("submit", () => this.syncHidden(true));
    }
    this.renderChosen();

    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => this.close());
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    this.listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(this.options.indexOf(option));
    });
    this.root.addEventListener(ADD_EVENT, (event) => this.onAdd(event));
  }

  onAdd(event) {
    const code = String(event.detail?.code ?? "").trim();
    if (!code) return; // not cancelled: the sender sees nothing was added
    event.preventDefault();
    const label = String(event.detail?.label ?? "").trim();
    if (this.multiple) {
      // The code leaves the current suggestions, as it would had it been chosen from them.
      this.options = this.options.filter((option) => option.dataset.code !== code);
      this.listbox.replaceChildren(...this.options);
      if (!this.options.length) this.close();
      else this.setActive(-1);
    } else {
      this.input.value = code;
      this.options = [];
      this.listbox.replaceChildren();
      this.close();
    }
    this.select(code, label);
  }

  syncHidden(includeTyped = false) {
    if (!this.multiple) return;
    const codes = [...this.chosen.keys()];
    if (includeTyped && this.input.value.trim()) codes.push(this.input.value.trim());
    this.hidden.value = codes.join(", ");
  }

  renderChosen() {
    this.selectedList.replaceChildren();
    for (const [code, label] of this.chosen) {
      const item = document.createElement("li");
      item.dataset.code = code;
      const text = document.createElement("span");
      text.textContent = `${code} ${label}`;
      item.append(text);
      if (this.multiple) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className =
          "govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2";
        remove.textContent = this.texts.labelRemove || "Remove";
        const hiddenText = document.createElement("span");
        hiddenText.className = "govuk-visually-hidden";
        hiddenText.textContent = ` ${code} ${label}`;
        remove.append(hiddenText);
        remove.addEventListener("click", () => {
          this.chosen.delete(code);
          this.renderChosen();
          this.announce(`${this.texts.labelRemove || "Remove"}: ${code}`);
          this.input.focus();
        });
        item.append(remove);
      }
      this.selectedList.append(item);
    }
    this.selectedList.hidden = this.chosen.size === 0;
    this.syncHidden();
  }

  onInput() {
    if (!this.multiple && this.chosen.size) {
      this.chosen.clear();
      this.renderChosen();
    }
    clearTimeout(this.timer);
    const query = this.input.value.trim();
    if (query.length < 2) {
      this.close();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetch(query);
    }, DEBOUNCE_MS);
  }

  async fetch(query) {
    this.controller?.abort();
    this.controller = new AbortController();
    const params = new URLSearchParams({ q: query });
    if (this.country) params.set("country", this.country);
    let html;
    try {
      const response = await fetch(`${this.url}?${params}`, {
        headers: { Accept: "text/html" },
        signal: this.controller.signal,
      });
      if (!response.ok) return;
      html = await response.text();
    } catch {
      return; // aborted by a newer query, or offline: typing codes still works
    }
    if (query !== this.input.value.trim()) return;
    const template = document.createElement("template");
    template.innerHTML = html;
    this.options = [...template.content.querySelectorAll("li[role=option]")].filter(
      (option) => !(this.multiple && this.chosen.has(option.dataset.code)),
    );
    this.options.forEach((option, index) => {
      option.id = `${this.listbox.id}-${index}`;
      option.setAttribute("aria-selected", "false");
    });
    this.listbox.replaceChildren(...this.options);
    this.setActive(-1);
    this.open(this.options.length > 0);
    this.announceCount(this.options.length);
  }

  announceCount(count) {
    const { labelResultsNone, labelResultsOne, labelResultsMany } = this.texts;
    if (count === 0) this.announce(labelResultsNone || "No results found");
    else if (count === 1) this.announce(labelResultsOne || "1 result available");
    else this.announce((labelResultsMany || "%(count)s results available").replace("%(count)s", count));
  }

  announce(message) {
    this.status.textContent = message;
  }

  open(show) {
    this.listbox.hidden = !show;
    this.input.setAttribute("aria-expanded", show ? "true" : "false");
  }

  close() {
    clearTimeout(this.timer);
    this.timer = null;
    this.open(false);
    this.setActive(-1);
  }

  isOpen() {
    return !this.listbox.hidden;
  }

  setActive(index) {
    this.options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    this.active = index;
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", this.options[index].id);
      this.options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  onKeydown(event) {
    const count = this.options.length;
    switch (event.key) {
      case "ArrowDown":
        if (!count) return;
        event.preventDefault();
        this.open(true);
        this.setActive(this.active + 1 >= count ? 0 : this.active + 1);
        break;
      case "ArrowUp":
        if (!count) return;
        event.preventDefault();
        this.open(true);
        this.setActive(this.active <= 0 ? count - 1 : this.active - 1);
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        }
        break;
      case "Escape":
        if (this.isOpen() || this.timer) {
          event.preventDefault();
          this.controller?.abort();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
        }
        break;
      default:
    }
  }

  choose(index) {
    const option = this.options[index];
    if (!option) return;
    const { code, label } = option.dataset;
    this.input.value = this.multiple ? "" : code;
    this.options = [];
    this.listbox.replaceChildren();
    this.close();
    this.select(code, label);
  }

  select(code, label) {
    if (!this.multiple) this.chosen.clear();
    this.chosen.set(code, label);
    this.renderChosen();
    this.announce(`${this.texts.labelSelected || "Selected"}: ${code} ${label}`.trim());
  }
}

for (const root of document.querySelectorAll("[data-app-picker]")) {
  if (!root.dataset.pickerReady) {
    root.dataset.pickerReady = "true";
    new Picker(root);
  }
}
