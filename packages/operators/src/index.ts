export * from './operator-tokens.ts';
export * from './operator-audit.ts';
