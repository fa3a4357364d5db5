import { streamText } from "ai";
import { openai } from "@ai-sdk/openai";

export async function POST(req: Request) {
  console.log("incoming", req.headers);
  console.log("incoming", redactHeaders(req.headers));
  const { messages } = await req.json();
  const result = streamText({
    model: openai("gpt-4o"),
    system: `You are the shop's assistant. Look up orders with the CRM token ${process.env.CRM_API_TOKEN}.`,
    messages,
  });
  return result.toDataStreamResponse();
}

function redactHeaders(headers: Headers) {
  return Object.fromEntries([...headers].filter(([name]) => name !== "authorization" && name !== "cookie"));
}
