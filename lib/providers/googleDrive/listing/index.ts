export { listDriveChanges, type DriveListingRequest, type DriveListingResponse } from './listChanges';
export { sourceKeyFor, type DriveSource } from './source';
export { parseDriveCursor, type DriveCursor, type DriveListingState } from './state';
