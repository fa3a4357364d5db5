import OpenAI from "openai";

// Server-side client: the key comes from the environment, as it should.
export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
