import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, api, onUnauthorized } from '../api';
import type { LoginAnswer, MeAnswer, User } from '../api';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly expired?: boolean }
  | { readonly status: 'signed-in'; readonly user: User; readonly expiresAt: string };

export interface Session {
  readonly state: SessionState;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Asks `/api/me` once; a 401 from any later request signs the app out (session expired). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    api.get<MeAnswer>('/api/me').then(
      (me) => live && setState({ status: 'signed-in', user: me.user, expiresAt: me.expiresAt }),
      () => live && setState({ status: 'signed-out' }),
    );
    const off = onUnauthorized(() => setState((s) => (s.status === 'signed-in' ? { status: 'signed-out', expired: true } : s)));
    return () => {
      live = false;
      off();
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await api.post<LoginAnswer>('/api/login', { username, password });
    setState({ status: 'signed-in', user: answer.user, expiresAt: answer.expiresAt });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/logout');
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
    setState({ status: 'signed-out' });
  }, []);

  const value = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}

/** The signed-in user (inside the guarded layout). */
export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a session');
  return state.user;
}
