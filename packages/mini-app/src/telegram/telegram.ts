// Starts the Telegram Mini Apps SDK and exposes the few things the screens use: who the user is (the raw initData the
// API checks, their language), the theme as CSS variables (--tg-theme-*, light or dark as Telegram says), the safe
// areas (--tg-viewport-*safe-area-inset-*), the Main and Back buttons, and haptic feedback. Inside Telegram the SDK
// talks to the client; in a plain browser, launch parameters come from the URL hash and browser-host.ts stands in for
// the client's buttons.
import {
  backButton,
  hapticFeedback,
  init,
  mainButton,
  miniApp,
  retrieveLaunchParams,
  retrieveRawInitData,
  themeParams,
  viewport,
  type ThemeParamsType,
} from '@tma.js/sdk';
import { installBrowserHost } from './browser-host.ts';

export interface TelegramLaunch {
  readonly initDataRaw: string;
  readonly languageCode: string | undefined;
  readonly themeParams: ThemeParamsType;
  readonly insideTelegram: boolean;
}

export type TelegramLaunchResult =
  { ok: true; launch: TelegramLaunch } | { ok: false; problem: 'outsideTelegram' };

/**
 * A Telegram client is present, by the three ways the SDK's bridge posts to one: a webview proxy object (mobile and
 * desktop apps), `window.external.notify` (Windows Phone), or a parent frame (Telegram Web).
 */
function hasTelegramClient(): boolean {
  const proxy = (window as { TelegramWebviewProxy?: unknown }).TelegramWebviewProxy;
  const external = (window as { external?: { notify?: unknown } }).external;
  return proxy !== undefined || typeof external?.notify === 'function' || window.parent !== window;
}

function rawThemeParamsFromHash(): string | undefined {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  return hash.get('tgWebAppThemeParams') ?? undefined;
}

/** Who the user is, from Telegram's launch parameters (the URL hash, or where the SDK kept them on a reload). */
export function readTelegramLaunch(): TelegramLaunchResult {
  try {
    const launchParams = retrieveLaunchParams();
    const initDataRaw = retrieveRawInitData();
    if (!initDataRaw) return { ok: false, problem: 'outsideTelegram' };
    return {
      ok: true,
      launch: {
        initDataRaw,
        languageCode: launchParams.tgWebAppData?.user?.language_code,
        themeParams: launchParams.tgWebAppThemeParams,
        insideTelegram: hasTelegramClient(),
      },
    };
  } catch {
    return { ok: false, problem: 'outsideTelegram' };
  }
}

/** Starts the SDK: theme and safe areas as CSS variables, the buttons, and tells Telegram the app is ready. */
export function startTelegram(launch: TelegramLaunch): void {
  if (!launch.insideTelegram) installBrowserHost(launch.themeParams, rawThemeParamsFromHash());
  init();
  themeParams.mount();
  themeParams.bindCssVars();
  miniApp.mount();
  miniApp.bindCssVars();
  backButton.mount();
  mainButton.mount();
  // The viewport asks the client for its size and safe areas; the app shows meanwhile with the CSS env() insets.
  void viewport
    .mount()
    .then(() => viewport.bindCssVars())
    .catch(() => undefined);
  miniApp.ready();

  const showTheme = (isDark: boolean): void => {
    document.documentElement.dataset.theme = isDark ? 'dark' : 'light';
  };
  showTheme(themeParams.isDark());
  // The user may switch Telegram between light and dark while the app is open: the bound CSS variables follow by
  // themselves, the light/dark marker (color-scheme of form controls) follows here.
  themeParams.isDark.sub(showTheme);
}

export interface MainButtonSpec {
  readonly text: string;
  readonly enabled?: boolean;
  readonly loading?: boolean;
  readonly onClick: () => void;
}

/** Shows the Main button, or changes what it shows, without touching its click listener. */
export function setMainButton(spec: Omit<MainButtonSpec, 'onClick'>): void {
  mainButton.setParams({
    text: spec.text,
    isVisible: true,
    isEnabled: spec.enabled !== false,
    isLoaderVisible: spec.loading === true,
  });
}

/** Listens to Main button clicks; the returned function stops listening and hides the button. */
export function listenMainButton(onClick: () => void): () => void {
  const off = mainButton.onClick(onClick);
  return () => {
    off();
    hideMainButton();
  };
}

export function hideMainButton(): void {
  mainButton.setParams({ isVisible: false, isLoaderVisible: false });
}

/** Shows the Back button with this action; the returned function hides it. */
export function showBackButton(onBack: () => void): () => void {
  backButton.show();
  const off = backButton.onClick(onBack);
  return () => {
    off();
    backButton.hide();
  };
}

export type Haptic = 'success' | 'error' | 'warning';

export function haptic(kind: Haptic): void {
  try {
    hapticFeedback.notificationOccurred(kind);
  } catch {
    // A client too old for haptics has none: nothing to do.
  }
}
