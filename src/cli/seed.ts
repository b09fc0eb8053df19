// The seed documents the CLI reads are those the control API imports: one reader, in the emulator.
export { parseSeed, parseSeedValue, type SeedDocument } from '../emulator/seedDocument.js';
