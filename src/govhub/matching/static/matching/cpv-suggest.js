// CPV suggestions while people write a need, a challenge or a company's capabilities.
//
// Progressive enhancement: the box rendered by {% cpv_suggest %} is `hidden` until this
// script runs, so without JavaScript the form is exactly as before (codes typed or picked).
// The texts come from the fields named by data-cpv-source and are POSTed (a draft does not
// belong in URLs or server logs) with the page's CSRF token from data-csrf-token (the CSRF
// cookie is HttpOnly); the endpoint answers with a list of buttons; pressing one adds the
// code to the field named by data-cpv-target, the way that field expects it: handed to the
// reference picker through its public "govhub:picker-add" event when the picker has enhanced
// the field (so the code shows among the chosen ones and travels in its hidden field), or
// appended, comma-separated, to a plain text input.
(function () {
  "use strict";

  const DEBOUNCE_MS = 500;
  // The server reads this many characters at most: sending more would only cost bandwidth.
  const MAX_TEXT = 5000;
  const SEPARATORS = /[\s,;]+/;

  const digitsOf = (code) => String(code || "").split("-")[0];
  const format = (template, values) =>
    String(template || "").replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");

  class Suggest {
    constructor(root) {
      this.root = root;
      this.url = root.dataset.url;
      this.csrfToken = root.dataset.csrfToken || "";
      const sourceSelector = root.dataset.cpvSource || "";
      this.sources = sourceSelector ? [...document.querySelectorAll(sourceSelector)] : [];
      this.target = root.dataset.cpvTarget
        ? document.querySelector(root.dataset.cpvTarget)
        : null;
      this.results = root.querySelector("[data-cpv-results]");
      this.status = root.querySelector("[data-cpv-status]");
      this.timer = null;
      this.controller = null;
      this.lastText = null;
      this.lastCodes = "";
      if (!this.url || !this.sources.length || !this.target || !this.results) return;

      root.hidden = false;
      for (const source of this.sources) {
        source.addEventListener("input", () => this.schedule());
      }
      this.results.addEventListener("click", (event) => {
        const button = event.target.closest("[data-cpv-code]");
        if (button) this.add(button);
      });
      this.refresh();
    }

    text() {
      return this.sources
        .map((source) => source.value.trim())
        .filter(Boolean)
        .join("\n")
        .slice(0, MAX_TEXT);
    }

    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.refresh();
      }, DEBOUNCE_MS);
    }

    async refresh() {
      const text = this.text();
      if (text === this.lastText) return;
      this.lastText = text;
      this.controller?.abort();
      if (!text) {
        this.results.replaceChildren();
        this.lastCodes = "";
        return;
      }
      this.controller = new AbortController();
      let html;
      try {
        const response = await fetch(this.url, {
          method: "POST",
          headers: { Accept: "text/html", "X-CSRFToken": this.csrfToken },
          body: new URLSearchParams({ text }),
          credentials: "same-origin",
          signal: this.controller.signal,
        });
        // A 429 carries its own message (wait a minute; codes can still be typed).
        if (!response.ok && response.status !== 429) throw new Error(String(response.status));
        html = await response.text();
      } catch (error) {
        if (error?.name !== "AbortError") this.announce(this.root.dataset.labelError);
        return;
      }
      if (text !== this.lastText) return; // a newer text is on its way
      this.show(html);
    }

    show(html) {
      const template = document.createElement("template");
      template.innerHTML = html;
      this.results.replaceChildren(template.content);
      const buttons = [...this.results.querySelectorAll("[data-cpv-code]")];
      const chosen = this.chosenDigits();
      for (const button of buttons) {
        if (chosen.has(digitsOf(button.dataset.cpvCode))) this.markAdded(button);
      }
      // Announce a change of state only, not every pause in typing.
      const empty = this.results.querySelector("[data-cpv-empty]");
      const codes = buttons.map((button) => button.dataset.cpvCode).join(",");
      const state = codes || empty?.textContent.trim() || "";
      if (state && state !== this.lastCodes) {
        const { labelOne, labelMany } = this.root.dataset;
        if (!buttons.length) this.announce(state);
        else if (buttons.length === 1) this.announce(labelOne);
        else this.announce(format(labelMany, { count: buttons.length }));
      }
      this.lastCodes = state;
    }

    announce(message) {
      if (this.status && message) this.status.textContent = message;
    }

    chosenDigits() {
      const digits = new Set();
      const root = this.target.closest("[data-app-picker]");
      if (root) {
        for (const item of root.querySelectorAll("[data-picker-selected] li[data-code]")) {
          digits.add(digitsOf(item.dataset.code));
        }
      }
      for (const token of this.target.value.split(SEPARATORS)) {
        if (token) digits.add(digitsOf(token));
      }
      return digits;
    }

    markAdded(button) {
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      const mark = document.createElement("span");
      mark.textContent = ` ${this.root.dataset.labelAddedMark || "(added)"}`;
      button.append(mark);
    }

    add(button) {
      if (button.getAttribute("aria-disabled") === "true") return;
      const code = button.dataset.cpvCode;
      if (this.chosenDigits().has(digitsOf(code))) {
        this.markAdded(button);
        this.announce(format(this.root.dataset.labelAlready, { code }));
        return;
      }
      // The picker announces its own choice ("Selected: …") in its live region.
      if (this.addToPicker(code, button.dataset.cpvLabel)) {
        this.markAdded(button);
        return;
      }
      this.appendTyped(code);
      this.markAdded(button);
      this.announce(format(this.root.dataset.labelAdded, { code }));
    }

    appendTyped(code) {
      const tokens = this.target.value.split(SEPARATORS).filter(Boolean);
      if (!tokens.some((token) => digitsOf(token) === digitsOf(code))) tokens.push(code);
      this.target.value = tokens.join(", ");
      this.target.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // An enhanced picker cancels the event once it has added the code; without one (no
    // picker, or its script not loaded) nobody cancels it and the code is typed instead.
    addToPicker(code, label) {
      const picker = this.target.closest("[data-app-picker]");
      if (!picker) return false;
      const event = new CustomEvent("govhub:picker-add", {
        detail: { code, label: label || "" },
        bubbles: true,
        cancelable: true,
      });
      return !picker.dispatchEvent(event);
    }
  }

  const init = (scope) => {
    const roots = [...scope.querySelectorAll("[data-cpv-suggest]")];
    if (scope.matches?.("[data-cpv-suggest]")) roots.push(scope);
    for (const root of roots) {
      if (root.dataset.cpvReady) continue;
      root.dataset.cpvReady = "true";
      new Suggest(root);
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => init(document));
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", (event) => init(event.detail?.elt || document));
})();
