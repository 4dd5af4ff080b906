-- The card load sweep (services/worker, card-load-sweep) looks for loads left unfinished (`holding` or `loading`)
-- longer than a few minutes: a request that died between placing the load's hold and starting its workflow, or a
-- workflow terminated in the middle. Those are few at any time, so a partial index keeps the sweep's read small
-- however many loads have finished.
create index card_load_unfinished on card_load (created_at, id) where status in ('holding', 'loading');
