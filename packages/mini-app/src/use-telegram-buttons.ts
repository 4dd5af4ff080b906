// The Main and Back buttons as Preact hooks: a screen says what its primary action is, and the button follows the
// screen's state; leaving the screen hides it.
import { useEffect, useRef } from 'preact/hooks';
import { listenMainButton, setMainButton, showBackButton, type MainButtonSpec } from './telegram/telegram.ts';

export function useMainButton(spec: MainButtonSpec | undefined): void {
  const onClick = useRef(spec?.onClick);
  onClick.current = spec?.onClick;
  const shown = spec !== undefined;
  const text = spec?.text ?? '';
  const enabled = spec?.enabled !== false;
  const loading = spec?.loading === true;
  // One listener while the screen shows the button; a new text or state only updates it, so Telegram never hides
  // and re-shows the button between two states of one screen.
  useEffect(() => {
    if (!shown) return;
    return listenMainButton(() => onClick.current?.());
  }, [shown]);
  useEffect(() => {
    if (shown) setMainButton({ text, enabled, loading });
  }, [shown, text, enabled, loading]);
}

export function useBackButton(onBack: (() => void) | undefined): void {
  const handler = useRef(onBack);
  handler.current = onBack;
  const shown = onBack !== undefined;
  useEffect(() => {
    if (!shown) return;
    return showBackButton(() => handler.current?.());
  }, [shown]);
}
