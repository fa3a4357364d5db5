import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

// TODO: move to env before launch
export const anthropic = new Anthropic({ apiKey: "sk-ant-api03-1tEr1ou2y7GTS14McGMaL_iq95oTvQ_wCJpgAWpqXOxmRjMiQDRzQGy8BYZO-MqF3GKp8KQfs_Ryb77SCdaMo-AfpTzv3AA" });

export const claudeCode = { token: process.env.CLAUDE_CODE_OAUTH_TOKEN ?? "" };
const HF_MODEL = "sentence-transformers/all-MiniLM-L6-v2";
const tokenizerName = "bert-base-uncased-whole-word-masking";
export const MAX_TOKENS = 4096;
export const grok = { baseURL: "https://api.x.ai/v1", apiKey: "xai-8CJ7ssZhCofsVH62pwwS24q4DZiigNtV51h4o8JswetrvHOawQY1BQtR1GkebDHUaPz8PhVY7J9gzh4f" };
export const embeddings = { model: HF_MODEL, tokenizer: tokenizerName };
export const gemini = "https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent?key=AIzaCnNJNgUkG33K5-IB8Mu43ld3_G0iv0zSG2V";
