export * from './webhook-signature.ts';
