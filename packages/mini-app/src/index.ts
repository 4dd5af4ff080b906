// What the API needs from this package: where the built Mini App is, and where it is served. The files are made by
// `npm run build -w @cardgate/mini-app` (Vite into dist/); this module only names them and never imports browser code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built Mini App (index.html and assets/), with a trailing slash. */
export const miniAppDistDirectory: string = fileURLToPath(new URL('../dist/', import.meta.url));

/** The path the API serves the Mini App under; the build's asset URLs start with it (vite.config.ts `base`). */
export const miniAppBasePath = '/app/';

/** True once the Mini App has been built (dist/index.html exists). */
export function isMiniAppBuilt(): boolean {
  return existsSync(fileURLToPath(new URL('../dist/index.html', import.meta.url)));
}
