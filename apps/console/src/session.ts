/**
 * The API token the person pasted: kept in sessionStorage (this tab only, gone when it closes), never in
 * a URL, a log or localStorage.
 */
const KEY = 'aims.console.token';

export function storedToken(): string | null {
  return window.sessionStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  window.sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  window.sessionStorage.removeItem(KEY);
}
