export * from './webhook-signature.ts';
export * from './webhook-event.ts';
export * from './provider-error.ts';
export * from './types.ts';
export {
  createHttpCardProvider,
  providerListPageSizeMax,
  type HttpCardProviderOptions,
} from './http-provider.ts';
