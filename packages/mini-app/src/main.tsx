// The Mini App's entry: start the Telegram SDK, pick the language from the Telegram user, and show the app — or,
// opened without Telegram's launch parameters, say how to open it.
import { render } from 'preact';
import { createApiClient } from './api/index.ts';
import { App } from './app.tsx';
import { LanguageContext, languageOf } from './i18n/i18n.ts';
import { startTelegram } from './telegram/telegram.ts';
import { ProblemView } from './ui/ui.tsx';

const root = document.getElementById('app')!;
const started = startTelegram();
if (!started.ok) {
  const language = languageOf(navigator.language);
  document.documentElement.lang = language;
  render(
    <LanguageContext.Provider value={language}>
      <main class="screen" data-screen="outside-telegram">
        <ProblemView problem={{ kind: 'outsideTelegram' }} />
      </main>
    </LanguageContext.Provider>,
    root,
  );
} else {
  const { session } = started;
  const language = languageOf(session.languageCode);
  document.documentElement.lang = language;
  // The API serves the Mini App, so the API is this page's origin.
  const baseUrl = window.location.origin;
  const api = createApiClient({ baseUrl, initDataRaw: session.initDataRaw, languageCode: language });
  render(<App api={api} language={language} baseUrl={baseUrl} initDataRaw={session.initDataRaw} />, root);
}
