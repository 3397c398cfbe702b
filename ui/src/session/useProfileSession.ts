// One profile's connection as the window holds it: its token status, identity, the work under way
// (getting, renewing, verifying), the last errors, and every action on the token. The connection
// bar, the Sign-in view and the Requests view all read this one state.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api";
import type { AppSnapshot, Identity, ProfileStatus, ProfileView, Progress } from "../api";
import type { MethodSwitch, TokenRequest } from "../components/TokenForm";

export type Work = "idle" | "getting" | "renewing" | "verifying";

export interface ProfileSession {
  id: string;
  view: ProfileView;
  status: ProfileStatus | null;
  identity: Identity | null;
  work: Work;
  progress: Progress | null;
  tokenError: api.UiError | null;
  verifyError: api.UiError | null;
  callbackUrl: string;
  methodSwitch: MethodSwitch | null;
  /** Set when a token was got in this window, until the user moves on: the Sign-in view then
   * says "You're connected". */
  justConnected: boolean;
  submit: (request: TokenRequest) => Promise<void>;
  finishPaste: (url: string, secrets: api.SecretsInput) => Promise<void>;
  openSignIn: () => Promise<unknown>;
  cancelSignIn: () => void;
  forgetSession: () => Promise<unknown>;
  verify: () => Promise<void>;
  renew: () => Promise<void>;
  revoke: () => Promise<void>;
  copyToken: (asHeader: boolean) => Promise<number | null>;
  revealToken: () => Promise<string | null>;
  setAutoRenew: (enabled: boolean) => Promise<void>;
  useSessionOnlyVault: () => Promise<void>;
  fix: (f: api.Fix) => Promise<void>;
  dismissTokenError: () => void;
  refresh: () => Promise<void>;
  /** Saves the profile's production/test mark (the saved settings with only the mark changed). */
  saveAccountKind: (saved: api.ProfileEdit) => Promise<void>;
}

export function useProfileSession(view: ProfileView, onSnapshot: (s: AppSnapshot) => void): ProfileSession {
  const id = view.profile.id;
  const [status, setStatus] = useState<ProfileStatus | null>(null);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [work, setWork] = useState<Work>("idle");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [tokenError, setTokenError] = useState<api.UiError | null>(null);
  const [verifyError, setVerifyError] = useState<api.UiError | null>(null);
  const [callbackUrl, setCallbackUrl] = useState("");
  const [methodSwitch, setMethodSwitch] = useState<MethodSwitch | null>(null);
  const [justConnected, setJustConnected] = useState(false);
  const lastRequest = useRef<TokenRequest | null>(null);

  const showStatus = (s: ProfileStatus) => {
    setStatus(s);
    setIdentity(s.identity);
  };
  const refresh = () => api.profileStatus(id).then(showStatus, (e) => setTokenError(api.describe(e)));

  // The session belongs to one profile (the screen that holds it is keyed by the profile). Its
  // status and callback URL are shown together, in one render of the screen rather than two.
  useEffect(() => {
    const url = api.callbackUrl(id).catch(() => "");
    Promise.all([api.profileStatus(id), url]).then(
      ([s, callback]) => {
        setCallbackUrl(callback);
        showStatus(s);
      },
      (e: unknown) => {
        setTokenError(api.describe(e));
        url.then(setCallbackUrl);
      },
    );
  }, [id]);

  // The window listens for an event only while it can come: each listener costs the app's process
  // a script context for good (Tauri sets it up by running a script in the page), about 2 MB that
  // a window without a token never needs. Renewals come only for a profile with a token.
  const hasToken = Boolean(status?.token);
  useEffect(() => {
    if (!hasToken) return;
    const unlisten = api.events.tokenRenewed.listen((e) => {
      if (e.payload === id) refresh();
    });
    return () => void unlisten.then((stop) => stop(), () => {});
  }, [id, hasToken]);

  /** Shows the steps of getting a token (the `token-progress` events) while `action` runs. */
  const withProgress = async <T>(action: () => Promise<T>): Promise<T> => {
    const stop = await api.events.tokenProgress
      .listen((e) => {
        if (e.payload.profile_id === id) setProgress(e.payload);
      })
      .catch(() => () => {});
    try {
      return await action();
    } finally {
      stop();
    }
  };

  /** Runs an action, showing its failure as the token error. */
  const guard = async <T>(action: () => Promise<T>): Promise<T | null> => {
    setTokenError(null);
    try {
      return await action();
    } catch (e) {
      setTokenError(api.describe(e));
      return null;
    }
  };

  const verify = async () => {
    setWork("verifying");
    setVerifyError(null);
    try {
      setIdentity(await api.verifyToken(id));
    } catch (e) {
      setIdentity(null);
      setVerifyError(api.describe(e));
    } finally {
      setWork("idle");
      await refresh();
    }
  };

  const afterNewToken = async (s: ProfileStatus) => {
    setStatus(s);
    if (s.token) {
      setProgress({ profile_id: id, stage: "verifying" });
      await verify();
      setJustConnected(true);
    }
  };

  const submit = async ({ edit, secrets }: TokenRequest) => {
    lastRequest.current = { edit, secrets };
    setWork("getting");
    setTokenError(null);
    setVerifyError(null);
    setProgress(null);
    try {
      onSnapshot(await api.updateProfile(edit));
      api.callbackUrl(id).then(setCallbackUrl, () => {});
      await afterNewToken(await withProgress(() => api.getToken(id, secrets)));
    } catch (e) {
      setTokenError(api.describe(e));
      // The settings may have moved the profile's URLs: its token is then gone, and kept secrets
      // may wait for the user's word. Show the profile as it is now, not as before.
      api.profileStatus(id).then(showStatus, () => {});
    } finally {
      setWork("idle");
      setProgress(null);
    }
  };

  const finishPaste = async (url: string, secrets: api.SecretsInput) => {
    setWork("getting");
    const s = await guard(() => api.finishPastedSignIn(id, url, secrets));
    setWork("idle");
    if (s) await afterNewToken(s);
  };

  const renew = async () => {
    setWork("renewing");
    const s = await guard(() => api.renewToken(id));
    setWork("idle");
    if (s) showStatus(s);
    else await refresh();
  };

  const revoke = async () => {
    const outcome = await guard(() => api.revokeToken(id));
    if (outcome && !outcome.revoked_on_server) {
      setTokenError({ message: "Deleted here; this server cannot revoke tokens, so the token keeps working there until it expires." });
    }
    setIdentity(null);
    setJustConnected(false);
    await refresh();
  };

  const fix = async (f: api.Fix): Promise<void> => {
    if (f.kind === "renew_token") await renew();
    else if (f.kind === "use_session_only_vault") await api.useSessionOnlyVault().then(refresh);
    else if ((f.kind === "retry" || f.kind === "retry_after") && lastRequest.current) await submit(lastRequest.current);
    else if (f.kind === "sign_in_again") setMethodSwitch({ method: view.profile.method, at: Date.now() });
    else if (f.kind === "switch_method") setMethodSwitch({ method: f.to, at: Date.now() });
    // The app's password method never sends a callback URL: switching to it is the whole fix.
    else if (f.kind === "switch_to_password_without_redirect_uri") setMethodSwitch({ method: "password", at: Date.now() });
    else if (f.kind === "confirm_kept_secrets") {
      const s = await guard(() => api.confirmKeptSecrets(id));
      if (s) showStatus(s);
    }
  };

  return {
    id,
    view,
    status,
    identity,
    work,
    progress,
    tokenError,
    verifyError,
    callbackUrl,
    methodSwitch,
    justConnected,
    submit,
    finishPaste,
    openSignIn: () => guard(() => api.openSignInUrl(id)),
    cancelSignIn: () => void api.cancelSignIn(id),
    forgetSession: () => guard(() => api.forgetSignInSession(id)),
    verify,
    renew,
    revoke,
    copyToken: (asHeader) => guard(() => api.copyToken(id, asHeader)),
    revealToken: () => guard(() => api.revealToken(id)),
    setAutoRenew: async (enabled) => {
      await guard(() => api.setAutoRenew(id, enabled));
      await refresh();
    },
    useSessionOnlyVault: () => api.useSessionOnlyVault().then(refresh),
    fix,
    dismissTokenError: () => setTokenError(null),
    refresh,
    saveAccountKind: async (saved) => {
      const s = await guard(() => api.updateProfile(saved));
      if (s) onSnapshot(s);
    },
  };
}
