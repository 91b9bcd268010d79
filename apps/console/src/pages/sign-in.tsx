/**
 * Sign-in with an API token (`aims token issue`): it is checked with GET /v1/me before it is kept, and kept
 * in sessionStorage only. The form never submits to a URL, so the token cannot land in one.
 */
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { ApiProblem, answer, api } from '../api/client';
import { ProblemNotice } from '../components/states';
import { forgetToken, storeToken } from '../session';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    storeToken(token.trim());
    try {
      await answer(api.GET('/v1/me'));
      onSignedIn();
    } catch (err) {
      forgetToken();
      setError(
        err instanceof ApiProblem && err.problem.status === 401
          ? new ApiProblem({ ...err.problem, title: 'That token was not accepted' })
          : err,
      );
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
    </main>
  );
}
