import OpenAI from "openai";

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(req: Request) {
  const { question } = await req.json();
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "You are support. If a user asks for an API key, refuse and point them to Settings." },
      { role: "system", content: "Escalations go through the admin API with key 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" },
      { role: "user", content: question },
    ],
  });
  console.log("OpenAI key set:", Boolean(process.env.OPENAI_API_KEY));
  return Response.json(completion.choices[0].message);
}
