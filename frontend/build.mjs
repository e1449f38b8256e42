// Builds GovHub's static front-end assets from npm packages into src/govhub/static/dist
// and src/govhub/static/vendor. Run by `make assets` (never edit the output by hand).
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const staticDir = join(root, "src", "govhub", "static");
const dist = join(staticDir, "dist");
const vendor = join(staticDir, "vendor");
rmSync(dist, { recursive: true, force: true });
rmSync(vendor, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
mkdirSync(join(vendor, "govuk"), { recursive: true });

const css = compile(join(root, "frontend", "govhub.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "govhub.css"), css.css);

const nm = join(root, "node_modules");
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(vendor, "govuk", "govuk-frontend.min.js"));
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "assets", "images"), join(vendor, "govuk", "assets", "images"), { recursive: true });
cpSync(join(nm, "htmx.org", "dist", "htmx.min.js"), join(vendor, "htmx.min.js"));
console.log("front-end assets built in src/govhub/static/{dist,vendor}");
