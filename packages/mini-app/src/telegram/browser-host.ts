// Telegram's part of the screen when the Mini App runs in a plain browser (a developer's browser, the browser tests):
// Telegram draws the Main button and the Back button itself, so outside it this module stands in for the client. It
// receives what the SDK posts to Telegram (through the SDK's mockTelegramEnv), draws the two buttons from it, and
// answers the SDK's requests (theme, viewport, safe areas) the way the Telegram desktop client does. Clicks are sent
// back as Telegram's own events, so the app code uses the same SDK calls inside and outside Telegram.
import { emitEvent, mockTelegramEnv, type ThemeParamsType } from '@tma.js/sdk';

export interface BrowserHostEvent {
  readonly name: string;
  readonly params: unknown;
}

/** What the stand-in received, newest last, bounded; the browser tests read it (e.g. the haptic feedback sent). */
const eventsKeptMax = 100;

declare global {
  interface Window {
    cardgateBrowserHost?: { events: BrowserHostEvent[] };
  }
}

interface ButtonParams {
  is_visible?: boolean;
  is_active?: boolean;
  is_progress_visible?: boolean;
  text?: string;
  color?: string;
  text_color?: string;
}

/** Sends an event to the SDK after the current call returns, as the real client does. */
function answer(name: string, payload: unknown): void {
  setTimeout(() => emitEvent(name, payload as never), 0);
}

function createButton(id: string, className: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.id = id;
  button.type = 'button';
  button.className = className;
  button.hidden = true;
  button.addEventListener('click', onClick);
  document.body.append(button);
  return button;
}

export function installBrowserHost(themeParams: ThemeParamsType, rawThemeParams: string | undefined): void {
  const received: BrowserHostEvent[] = [];
  window.cardgateBrowserHost = { events: received };
  const back = createButton('tg-back-button', 'host-back-button', () => emitEvent('back_button_pressed'));
  back.setAttribute('aria-label', 'Back');
  back.textContent = '←';
  const main = createButton('tg-main-button', 'host-main-button', () => {
    if (!main.disabled) emitEvent('main_button_pressed');
  });

  const setUpMain = (params: ButtonParams): void => {
    main.hidden = params.is_visible !== true;
    main.disabled = params.is_active === false || params.is_progress_visible === true;
    main.textContent = params.is_progress_visible ? '…' : (params.text ?? '');
    main.setAttribute('aria-busy', String(params.is_progress_visible === true));
    if (params.color) main.style.backgroundColor = params.color;
    if (params.text_color) main.style.color = params.text_color;
    document.documentElement.classList.toggle('host-main-button-shown', !main.hidden);
  };

  const theme = rawThemeParams ? (JSON.parse(rawThemeParams) as unknown) : themeParams;
  const noInsets = { top: 0, bottom: 0, left: 0, right: 0 };
  mockTelegramEnv({
    onEvent(event) {
      received.push({ name: event.name, params: event.params });
      if (received.length > eventsKeptMax) received.shift();
      switch (event.name) {
        case 'web_app_setup_main_button':
          setUpMain(event.params as ButtonParams);
          break;
        case 'web_app_setup_back_button':
          back.hidden = !(event.params as { is_visible: boolean }).is_visible;
          break;
        case 'web_app_request_theme':
          answer('theme_changed', { theme_params: theme });
          break;
        case 'web_app_request_viewport':
          answer('viewport_changed', {
            height: window.innerHeight,
            width: window.innerWidth,
            is_expanded: true,
            is_state_stable: true,
          });
          break;
        case 'web_app_request_safe_area':
          answer('safe_area_changed', noInsets);
          break;
        case 'web_app_request_content_safe_area':
          answer('content_safe_area_changed', noInsets);
          break;
        default:
          break;
      }
    },
  });
}
