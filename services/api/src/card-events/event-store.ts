// The API's side of card_event: stores each card provider event once, by its event id, and tracks which ones have
// been handed to Temporal. The table is owned by @cardgate/card-store (which the worker reads it through too); a
// repeated delivery finds its row and changes nothing, and a crash between storing and handing over leaves the row
// for the dispatcher's sweep.
export { createCardEventStore, type CardEventStore } from '@cardgate/card-store';
