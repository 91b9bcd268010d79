/**
 * Where the identity provider sends the browser back (/auth/callback?code=…&state=…): the code and state
 * leave the address at once (history.replaceState), then the sign-in is finished (oidc.ts) and the access
 * token kept like a pasted one if the API accepts it; any failure is said in plain words.
 */
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { Loading, ProblemNotice } from '../components/states';
import { CALLBACK_PATH, completeOidcSignIn } from '../oidc';
import { keepIfAccepted } from '../keep-token';

/**
 * One completion per callback query: the code can be exchanged once, and a component may mount twice
 * (React's StrictMode in development) or re-render after the address is wiped.
 */
const completions = new Map<string, Promise<void>>();

function complete(query: string): Promise<void> {
  let completion = completions.get(query);
  if (completion === undefined) {
    completion = completeOidcSignIn(query).then((accessToken) =>
      keepIfAccepted(accessToken, "The API did not accept the identity provider's token"),
    );
    completions.set(query, completion);
  }
  return completion;
}

/** Read once, when the module first renders the callback: the address is wiped right after. */
let callbackQuery: string | null = null;

export function OidcCallback({ onSignedIn }: { onSignedIn: () => void }) {
  const [, navigate] = useLocation();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (callbackQuery === null || window.location.search !== '') {
      callbackQuery = window.location.search;
      // The code (and the provider's words) must not stay in the address, the history or a bookmark.
      window.history.replaceState(null, '', CALLBACK_PATH);
    }
    let live = true;
    complete(callbackQuery).then(
      () => {
        if (!live) return;
        navigate('/', { replace: true });
        onSignedIn();
      },
      (err: unknown) => {
        if (live) setError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [navigate, onSignedIn]);
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to aims</h1>
      {error === null ? (
        <Loading what="your sign-in with the identity provider" />
      ) : (
        <>
          <ProblemNotice error={error} />
          <p>
            <Link href="/">Back to sign-in</Link>
          </p>
        </>
      )}
    </main>
  );
}
