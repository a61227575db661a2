export { listOneDriveChanges, type OneDriveListingRequest, type OneDriveListingResponse } from './listChanges';
export { ONENOTE_MIME } from './graphListing';
export { sourceKeyFor, type OneDriveSource } from './source';
export { parseOneDriveCursor, type OneDriveCursor, type OneDriveListingState } from './state';
