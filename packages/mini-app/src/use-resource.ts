// Reads something from the API for a screen: loading, ready or failed with a problem the screen can put into words.
// A re-read (after a live event or a retry) keeps showing the last data instead of flashing a loading state. A
// session problem goes to the app, which replaces every screen with the session error.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { asApiProblem, type ApiProblem } from './api/index.ts';
import { useApp } from './app-context.ts';

export type Resource<Data> =
  | { readonly state: 'loading'; readonly data?: undefined; readonly problem?: undefined }
  | { readonly state: 'ready'; readonly data: Data; readonly problem?: undefined }
  | { readonly state: 'failed'; readonly data?: Data; readonly problem: ApiProblem };

export function useResource<Data>(
  load: () => Promise<Data>,
  dependencies: readonly unknown[],
): Resource<Data> & { reload: () => void } {
  const { reportSessionProblem } = useApp();
  const [resource, setResource] = useState<Resource<Data>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    load().then(
      (data) => {
        if (call === latest.current) setResource({ state: 'ready', data });
      },
      (error: unknown) => {
        if (call !== latest.current) return;
        const problem = asApiProblem(error);
        if (problem.kind === 'session') reportSessionProblem(problem);
        setResource((previous) => ({ state: 'failed', data: previous.data, problem }));
      },
    );
    // `load` is a new closure each render; the dependencies say when to read again.
  }, [...dependencies, attempt]);
  const reload = useCallback(() => setAttempt((value) => value + 1), []);
  return { ...resource, reload };
}
