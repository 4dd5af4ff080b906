-- The Telegram bot's record of every notification it handled (owner: services/bot/src/delivery-store.ts). A row is
-- claimed ('sending') before the message goes to Telegram and completed after: 'sent' with Telegram's message id,
-- 'blocked' when the user blocked the bot, 'refused' when Telegram refused the message for good, 'unknown' when the
-- bot cannot know whether Telegram took it (a crash or a lost answer after the claim). The primary key is the
-- notification's business id, so a notification is sent at most once whatever the queue repeats.
create table bot_notification_delivery (
  notification_id text primary key,
  user_id text not null,
  kind text not null,
  state text not null check (state in ('sending', 'sent', 'blocked', 'refused', 'unknown')),
  telegram_chat_id bigint,
  telegram_message_id bigint,
  claimed_at timestamptz not null default now(),
  finished_at timestamptz,
  detail text check (length(detail) <= 500),
  check ((state = 'sent') = (telegram_message_id is not null))
);

create index bot_notification_delivery_unfinished on bot_notification_delivery (claimed_at)
  where state in ('sending', 'unknown');
