// Signs a user in with Google: exchanges the OAuth code for tokens.
export async function exchangeCode(code: string, redirectUri: string) {
  const body = new URLSearchParams({ code, redirect_uri: redirectUri, grant_type: "authorization_code" });
  const tokenRes = await fetch("https://oauth2.googleapis.com/token", { method: "POST", body });
  console.info("google token endpoint answered", tokenRes.status);
  const tokens = await tokenRes.json();
  console.debug("google tokens", tokens);
  return tokens as { access_token: string; id_token: string };
}
