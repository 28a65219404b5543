export * from './model';
export * from './lookup';
export * from './batch';
