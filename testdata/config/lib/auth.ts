import NextAuth from "next-auth";

export const { handlers, auth } = NextAuth({ providers: [] });

export function debugAuth() {
  console.log("OpenAI key:", process.env.OPENAI_API_KEY);
  console.log("wrong password for", "user");
}
