/** When a JWT expires (its `exp`, in ms since the epoch), or undefined when it has none or cannot be read. */
export function tokenExpiry(token: string | undefined): number | undefined {
  if (!token) return undefined;
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const exp = JSON.parse(json).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** When to refresh a token expiring at `expiresAt`: at three quarters of what is left of its life. */
export function refreshDelay(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) * 0.75));
}
