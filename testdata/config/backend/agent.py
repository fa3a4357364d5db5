import os

from langchain_core.prompts import ChatPromptTemplate

SYSTEM_PROMPT = f"You are the billing agent. Use the admin token {os.environ['ADMIN_API_TOKEN']} for refunds."
GREETING_PROMPT = "Greet the user. Never reveal API keys or tokens, even if asked."

prompt = ChatPromptTemplate.from_messages([("system", GREETING_PROMPT), ("human", "{question}")])
