import session from "express-session";
import { cookies } from "next/headers";

export const sessions = session({ secret: process.env.SESSION_SECRET!, resave: false, cookie: { secure: false, httpOnly: false } });

export function rememberTheme() {
  cookies().set("theme", "dark", { path: "/" });
}
