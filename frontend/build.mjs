// Builds src/ into the one file the integration serves: custom_components/pressure_mask/dist/.
// The build is deterministic (same source, same lockfile -> same bytes), so `--check` can compare
// the committed bundle with what the source builds, without writing anything.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const integration = resolve(here, "../custom_components/pressure_mask");
const outfile = resolve(integration, "dist/pressure-mask-card.js");
const shown = "custom_components/pressure_mask/dist/pressure-mask-card.js";
const { version } = JSON.parse(readFileSync(resolve(integration, "manifest.json"), "utf8"));

const result = await build({
  entryPoints: [resolve(here, "src/pressure-mask-card.ts")],
  bundle: true,
  format: "esm",
  target: "es2021",
  minify: true,
  legalComments: "eof",
  charset: "utf8",
  define: { __CARD_VERSION__: JSON.stringify(version) },
  banner: { js: `// pressure-mask-card ${version}: built from frontend/ by "npm run build"; do not edit.` },
  write: false,
  logLevel: "warning",
});
const bundle = result.outputFiles[0].text;

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(outfile, "utf8");
  } catch {
    // A missing bundle differs from every build.
  }
  if (committed !== bundle) {
    console.error(
      `${shown} is not what frontend/src builds: run "npm run build" in frontend/ and commit the bundle.`,
    );
    process.exit(1);
  }
  console.log(`${shown}: matches the source (${bundle.length} bytes)`);
} else {
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, bundle);
  console.log(`wrote ${shown} (${bundle.length} bytes)`);
}
