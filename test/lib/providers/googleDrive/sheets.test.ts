import { delimitedRow, tabsToExport, wholeTabRange, workbookTable } from '../../../../lib/providers/googleDrive/export/sheets';
import { tabTitleOfRange } from '../../../fakes/sheetsApi';

const tab = (title: string, index: number, hidden = false) => ({ sheetId: index * 10, title, index, hidden });

describe("a workbook's tabs as one table", () => {
	it('leads every row with its tab title under a sheet column, padded to the widest tab', () => {
		const text = workbookTable(
			[
				{ title: 'Budget', rows: [['Item', 'Amount'], ['Rent', '1,200']] },
				{ title: 'Notes', rows: [['Paid "late"', 'twice', 'in May']] },
			],
			'csv',
		);
		expect(text).toBe('sheet,A,B,C\r\nBudget,Item,Amount,\r\nBudget,Rent,"1,200",\r\nNotes,"Paid ""late""",twice,in May\r\n');
	});

	it('quotes cells with line breaks in CSV, and flattens tabs and line breaks in TSV', () => {
		expect(delimitedRow(['two\nlines', 'plain'], 'csv')).toBe('"two\nlines",plain');
		expect(delimitedRow(['a\tb', 'c\r\nd'], 'tsv')).toBe('a b\tc d');
	});

	it('gives a tab with no cells no rows but keeps the header', () => {
		expect(workbookTable([{ title: 'Empty', rows: [] }], 'csv')).toBe('sheet\r\n');
	});

	it("exports the tabs in the workbook's order, hidden ones only when asked", () => {
		const tabs = [tab('Third', 2), tab('First', 0), tab('Hidden', 1, true)];
		expect(tabsToExport(tabs, false).map((t) => t.title)).toEqual(['First', 'Third']);
		expect(tabsToExport(tabs, true).map((t) => t.title)).toEqual(['First', 'Hidden', 'Third']);
	});

	it.each(["Q1 '24", 'Sheet1', "it's!here", 'A1:B2'])('names the whole tab %s as an A1 range the Sheets API reads back', (title) => {
		expect(tabTitleOfRange(wholeTabRange(title))).toBe(title);
	});
});
