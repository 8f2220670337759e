// `npm run gen:api`: regenerate the typed client and the channel limits from openapi/v1.json.
import { writeFile } from "node:fs/promises";
import { WEB_ROOT, readSpec, renderApiFiles } from "./api-codegen.mjs";

const files = await renderApiFiles(await readSpec());
for (const [path, contents] of Object.entries(files)) {
  await writeFile(new URL(path, WEB_ROOT), contents);
  console.log(`wrote web/${path}`);
}
