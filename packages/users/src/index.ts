export * from './user-store.ts';
