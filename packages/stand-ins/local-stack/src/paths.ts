// Where the local stack keeps its state: all under ignored folders of the repository, never in the home directory.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** Installed tools (the Temporal CLI, the Temporal test server); safe to delete, reinstalled on demand. */
export const toolsDirectory = join(repositoryRoot, '.tools');
/** Runtime state of `npm run dev` and the test harness: data directories, pid files, logs. */
export const stateDirectory = join(repositoryRoot, '.cardgate');
