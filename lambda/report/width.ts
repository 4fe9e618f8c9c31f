// Report (pure): the width text reports and the CLI's help fit when the terminal's is not known. Apart from the
// table writer so that the CLI reads it without loading the table (and its text helpers) for other formats.

/** The width the table fits when the terminal's is not known (`COLUMNS` unset). */
export const DEFAULT_WIDTH = 100;
