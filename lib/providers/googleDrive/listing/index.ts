export { listDriveChanges, type ListDriveChangesInput, type ListDriveChangesResult } from './listChanges';
export { sourceKeyFor, type DriveSource } from './source';
export { itemFilterFor, type ItemFilter } from './filters';
export type { DriveCursor, DriveListingState } from './state';
