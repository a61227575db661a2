export * from '../store/changeDetection';
export * from './connectorCache';
export * from '../store/sqlite/driver';
export * from '../store/errors';
export * from '../store/sqlite/errors';
export * from '../store/sqlite/location';
export * from '../store/sqlite/migrations';
