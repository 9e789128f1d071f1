/** The address that reaches ports published on `bindAddress` from this host (0.0.0.0 is not dialable). */
export const publishedHost = (bindAddress: string) => (bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress);
