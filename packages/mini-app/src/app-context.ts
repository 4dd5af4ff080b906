// What every screen needs from the app: the API, the language, navigation, and a way to report a problem that ends
// the session (an expired or forged initData is fixed only by reopening the app from the bot).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient, ApiProblem } from './api/index.ts';
import type { Language } from './i18n/i18n.ts';

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'deposit' }
  | { readonly name: 'card'; readonly cardId?: string }
  | { readonly name: 'load'; readonly cardId: string }
  | { readonly name: 'history' };

export interface AppContextValue {
  readonly api: ApiClient;
  readonly language: Language;
  readonly navigate: (route: Route) => void;
  readonly back: () => void;
  readonly home: () => void;
  readonly reportSessionProblem: (problem: ApiProblem) => void;
  /** Grows with every live event, so screens re-read what may have changed. */
  readonly liveVersion: number;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
