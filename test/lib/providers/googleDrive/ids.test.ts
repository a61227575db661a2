import { InvalidInputError } from '../../../../lib/errors';
import { parseDriveId } from '../../../../lib/providers/googleDrive/ids';

describe('parseDriveId', () => {
	it.each([
		['1AbCdEfGhIjKlMnOp_-q', '1AbCdEfGhIjKlMnOp_-q'],
		['  1AbCdEfGhIjKlMnOp  ', '1AbCdEfGhIjKlMnOp'],
		['root', 'root'],
		['https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp', '1AbCdEfGhIjKlMnOp'],
		['https://drive.google.com/drive/u/1/folders/1AbCdEfGhIjKlMnOp?usp=sharing', '1AbCdEfGhIjKlMnOp'],
		['https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit', '1AbCdEfGhIjKlMnOp'],
		['https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view', '1AbCdEfGhIjKlMnOp'],
		['https://drive.google.com/open?id=1AbCdEfGhIjKlMnOp', '1AbCdEfGhIjKlMnOp'],
	])('reads the id out of %s', (input, id) => {
		expect(parseDriveId(input)).toBe(id);
	});

	it.each(['', 'short', 'has spaces in it', '1AbC/dEf'])('rejects %j with an input error that says what to paste', (input) => {
		expect(() => parseDriveId(input)).toThrow(InvalidInputError);
		expect(() => parseDriveId(input)).toThrow(/not a valid Google Drive folder id/);
	});

	it('rejects a URL that is not a Drive link and names what kind of id it wanted', () => {
		expect(() => parseDriveId('https://example.com/folders/x', 'shared drive')).toThrow(
			'"https://example.com/folders/x" is not a Google Drive shared drive URL',
		);
	});
});
