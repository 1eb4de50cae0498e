/** The path and query of a request, on Express (`originalUrl`) and Fastify (`url`) alike. */
export function requestUrl(request: { originalUrl?: string; url?: string; raw?: { url?: string } }): string {
  return request.originalUrl ?? request.url ?? request.raw?.url ?? '/';
}

/** One query parameter, read from the raw URL so both adapters parse it the same way. */
export function queryParam(request: Parameters<typeof requestUrl>[0], name: string): string | undefined {
  return new URL(requestUrl(request), 'http://localhost').searchParams.get(name) ?? undefined;
}
