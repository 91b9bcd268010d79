/**
 * Sign-in with an API token (`aims token issue`): it is checked with GET /v1/me before it is kept, and kept
 * in sessionStorage only. The form never submits to a URL, so the token cannot land in one. When the API
 * names an identity provider (GET /v1/auth/oidc), a button beside the form signs in with it instead
 * (oidc.ts); its answer comes back to /auth/callback (OidcCallback).
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useLocation } from 'wouter';
import { answer, api } from '../api/client';
import { ProblemNotice } from '../components/states';
import { beginOidcSignIn, CALLBACK_PATH, type OidcSettings } from '../oidc';
import { keepIfAccepted } from '../keep-token';
import { OidcCallback } from './oidc-callback';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [location] = useLocation();
  if (location === CALLBACK_PATH) return <OidcCallback onSignedIn={onSignedIn} />;
  return <SignInForms onSignedIn={onSignedIn} />;
}

function SignInForms({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await keepIfAccepted(token.trim(), 'That token was not accepted');
      onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to aims</h1>
      <Form onSubmit={(e) => void submit(e)}>
        <TextField name="token" type="password" isRequired value={token} onChange={setToken} autoComplete="off">
          <Label>API token</Label>
          <Input />
          <Text slot="description">Paste the token you were issued (aims token issue). It is kept for this tab only.</Text>
        </TextField>
        <Button type="submit" isDisabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </Form>
      <ProblemNotice error={error} />
      <IdentityProvider />
    </main>
  );
}

/** The identity provider's button, when the API names one; nothing when it names none or cannot say. */
function IdentityProvider() {
  const settings = useQuery({ queryKey: ['auth', 'oidc'], queryFn: () => answer(api.GET('/v1/auth/oidc')), staleTime: Infinity });
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const data = settings.data;
  if (data === undefined || !data.enabled || data.issuer === null || data.clientId === null) return null;
  const oidc: OidcSettings = { issuer: data.issuer, clientId: data.clientId, scopes: data.scopes, audience: data.audience };
  const start = async () => {
    setLeaving(true);
    setError(null);
    try {
      await beginOidcSignIn(oidc);
    } catch (err) {
      setError(err);
      setLeaving(false);
    }
  };
  return (
    <section className="sign-in-idp" aria-label="Sign in with your organisation's identity provider">
      <p className="muted">Or use your organisation&apos;s identity provider:</p>
      <Button onPress={() => void start()} isDisabled={leaving}>
        {leaving ? 'Going to the identity provider…' : `Sign in with ${new URL(oidc.issuer).host}`}
      </Button>
      <ProblemNotice error={error} />
    </section>
  );
}
