export * from './changeDetection';
export * from './connectorCache';
export * from './driver';
export * from './errors';
export * from './location';
export * from './migrations';
