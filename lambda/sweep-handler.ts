// PLACEHOLDER entry point of the scheduled sweep Lambda; replaced by the real composition root.
export const handler = async (_event: unknown): Promise<void> => {};
