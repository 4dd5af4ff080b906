// The app shell: a stack of screens (the Back button pops it), the live event stream that makes screens re-read, and
// the session error that replaces everything when Telegram's sign-in is no longer accepted.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { subscribeLiveEvents, type ApiClient, type ApiProblem } from './api/index.ts';
import { AppContext, type AppContextValue, type Route } from './app-context.ts';
import { LanguageContext, translator, type Language } from './i18n/i18n.ts';
import { CardScreen } from './screens/card.tsx';
import { DepositScreen } from './screens/deposit.tsx';
import { HistoryScreen } from './screens/history.tsx';
import { HomeScreen } from './screens/home.tsx';
import { LoadScreen } from './screens/load.tsx';
import { haptic, hideMainButton } from './telegram/telegram.ts';
import { useBackButton } from './use-telegram-buttons.ts';
import { ProblemView } from './ui/ui.tsx';

export interface AppProps {
  readonly api: ApiClient;
  readonly language: Language;
  readonly baseUrl: string;
  readonly initDataRaw: string;
}

/** Screens deeper than this replace the top instead of growing the stack without end. */
const routeDepthMax = 8;

export function App(props: AppProps) {
  const [stack, setStack] = useState<Route[]>([{ name: 'home' }]);
  const [sessionProblem, setSessionProblem] = useState<ApiProblem | undefined>(undefined);
  const [liveVersion, setLiveVersion] = useState(0);
  const [live, setLive] = useState<'connected' | 'reconnecting' | 'stopped'>('reconnecting');

  const reportSessionProblem = useCallback((problem: ApiProblem) => {
    hideMainButton();
    haptic('error');
    setSessionProblem(problem);
  }, []);
  const back = useCallback(
    () => setStack((current) => (current.length > 1 ? current.slice(0, -1) : current)),
    [],
  );
  const context = useMemo<AppContextValue>(
    () => ({
      api: props.api,
      language: props.language,
      navigate: (route) => setStack((current) => [...current.slice(0, routeDepthMax - 1), route]),
      back,
      home: () => setStack([{ name: 'home' }]),
      reportSessionProblem,
      liveVersion,
    }),
    [props.api, props.language, back, reportSessionProblem, liveVersion],
  );

  useEffect(
    () =>
      subscribeLiveEvents({
        baseUrl: props.baseUrl,
        initDataRaw: props.initDataRaw,
        onEvent: () => setLiveVersion((version) => version + 1),
        onStateChange: setLive,
        onSessionProblem: reportSessionProblem,
      }),
    [props.baseUrl, props.initDataRaw, reportSessionProblem],
  );

  useBackButton(stack.length > 1 && !sessionProblem ? back : undefined);
  const route = stack[stack.length - 1]!;
  const t = translator(props.language);
  return (
    <LanguageContext.Provider value={props.language}>
      <AppContext.Provider value={context}>
        <div class="app" data-live={live}>
          {sessionProblem ? (
            <main class="screen" data-screen="session-error">
              <ProblemView problem={sessionProblem} />
            </main>
          ) : (
            <>
              {live === 'reconnecting' && liveVersion > 0 ? (
                <p class="live-banner" role="status">
                  {t('app.reconnecting')}
                </p>
              ) : null}
              <Screen key={stack.length} route={route} />
            </>
          )}
        </div>
      </AppContext.Provider>
    </LanguageContext.Provider>
  );
}

function Screen(props: { route: Route }) {
  const { route } = props;
  switch (route.name) {
    case 'home':
      return <HomeScreen />;
    case 'deposit':
      return <DepositScreen />;
    case 'card':
      return <CardScreen cardId={route.cardId} />;
    case 'load':
      return <LoadScreen cardId={route.cardId} />;
    case 'history':
      return <HistoryScreen />;
  }
}
