export * from './model';
export * from './lookup';
