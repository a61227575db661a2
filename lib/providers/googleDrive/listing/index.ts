export { listDriveChanges, type ListDriveChangesInput, type ListDriveChangesResult } from './listChanges';
export { sourceKeyFor, type DriveSource } from './source';
export type { DriveCursor, DriveListingState } from './state';
