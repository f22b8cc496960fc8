import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Banner, Button, Logo, TextField } from '../../ui';
import { useSessionStore } from './context';
import { MESSAGES, signInErrorMessage } from './messages';
import './session.css';

const ERROR_ID = 'sign-in-error';

export function SignInPage({ notice }: { notice?: string }) {
  const store = useSessionStore();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [invalidField, setInvalidField] = useState<'user' | 'password' | 'both' | undefined>();
  const userRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Which field gets focus next; applied after render, once the inputs are enabled again.
  const [focusRequest, setFocusRequest] = useState<{ field: 'user' | 'password'; seq: number }>({ field: 'user', seq: 0 });
  const focus = (field: 'user' | 'password') => setFocusRequest((r) => ({ field, seq: r.seq + 1 }));

  useEffect(() => {
    if (busy) return;
    (focusRequest.field === 'user' ? userRef : passwordRef).current?.focus();
  }, [focusRequest, busy]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!user.trim() || !password) {
      setError(MESSAGES.missingFields);
      setInvalidField(!user.trim() ? 'user' : 'password');
      focus(!user.trim() ? 'user' : 'password');
      return;
    }
    setBusy(true);
    setError(undefined);
    setInvalidField(undefined);
    try {
      await store.signIn(user.trim(), password);
    } catch (err) {
      const message = signInErrorMessage(err);
      setError(message);
      if (message === MESSAGES.invalidCredentials) {
        setInvalidField('both');
        setPassword('');
        focus('password');
      }
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <main className="signin__main">
        <div className="signin__card">
          <Logo size={32} className="signin__logo" />
          <h1 className="signin__title">Sign in</h1>
          <p className="signin__subtitle">Chat, calls and meetings with your organisation, right in your browser.</p>

          {notice && !error && <div className="signin__message"><Banner tone="info" testId="sign-in-notice">{notice}</Banner></div>}
          {/* Always mounted so the live region announces each new error. */}
          <div className="signin__message" aria-live="assertive" aria-atomic="true">
            {error && <Banner tone="error" id={ERROR_ID} testId="sign-in-error">{error}</Banner>}
          </div>

          <form className="signin__form" onSubmit={submit} noValidate aria-label="Sign in to OCS Web">
            <TextField ref={userRef} label="Sign-in address" name="username" autoComplete="username" autoCapitalize="none"
              spellCheck={false} inputMode="email" placeholder="someone@example.com" value={user}
              onChange={(e) => setUser(e.target.value)} disabled={busy}
              invalid={invalidField === 'user' || invalidField === 'both'} {...(error ? { describedBy: ERROR_ID } : {})} />
            <TextField ref={passwordRef} label="Password" name="password" type="password" autoComplete="current-password"
              value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy}
              invalid={invalidField === 'password' || invalidField === 'both'} {...(error ? { describedBy: ERROR_ID } : {})} />
            <Button type="submit" variant="primary" size="large" block busy={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </Button>
          </form>
          <p className="signin__help">You can use your user name (<span className="mono">alice</span>) or your full sign-in address.</p>
        </div>
      </main>
      <footer className="signin__footer">OCS Web · Unified communications</footer>
    </div>
  );
}
