// The button into the Mini App that every greeting and notification carries.
import { InlineKeyboard } from 'grammy';
import { say, type Language } from './texts/index.ts';

export function openAppKeyboard(language: Language, miniAppUrl: string): InlineKeyboard {
  return new InlineKeyboard().webApp(say(language, 'open_app'), miniAppUrl);
}
