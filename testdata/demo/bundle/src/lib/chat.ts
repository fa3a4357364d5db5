// Client-side chat helper: runs in the browser, so Next.js inlines the NEXT_PUBLIC_ value
// into the shipped bundle at build time.
import OpenAI from "openai";

export const client = new OpenAI({
  apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY,
  dangerouslyAllowBrowser: true,
});
