// PLACEHOLDER entry point of the event Lambda; replaced by the real composition root.
export const handler = async (_event: unknown): Promise<void> => {};
