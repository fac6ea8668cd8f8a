// Reading Octokit's RequestError without depending on its class (closure serialization).

/** HTTP status of an Octokit RequestError (undefined for other errors). */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own explanation from an error response body ("message"), else the error message. */
export function gitHubReason(error: unknown): string {
  if (typeof error === "object" && error !== null && "response" in error) {
    const data = (error as { response?: { data?: unknown } }).response?.data;
    if (typeof data === "object" && data !== null && "message" in data) {
      const message = (data as { message: unknown }).message;
      if (typeof message === "string" && message.trim()) return message.trim();
    }
  }
  return error instanceof Error ? error.message : String(error);
}
