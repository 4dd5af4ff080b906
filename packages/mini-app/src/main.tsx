// The Mini App's entry: read who the user is from Telegram's launch parameters, start the first read of the home
// screen at once, start the Telegram SDK, and show the app — or, opened without launch parameters, say how to open it.
import { render } from 'preact';
import { createApiClient } from './api/index.ts';
import { App } from './app.tsx';
import { LanguageContext, languageOf } from './i18n/i18n.ts';
import { prefetchHome } from './screens/home-data.ts';
import { readTelegramLaunch, startTelegram } from './telegram/telegram.ts';
import { ProblemView } from './ui/ui.tsx';

const root = document.getElementById('app')!;
const read = readTelegramLaunch();
if (!read.ok) {
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
  const { launch } = read;
  const language = languageOf(launch.languageCode);
  document.documentElement.lang = language;
  // The API serves the Mini App, so the API is this page's origin.
  const baseUrl = window.location.origin;
  const api = createApiClient({ baseUrl, initDataRaw: launch.initDataRaw, languageCode: language });
  prefetchHome(api);
  startTelegram(launch);
  render(<App api={api} language={language} baseUrl={baseUrl} initDataRaw={launch.initDataRaw} />, root);
}
