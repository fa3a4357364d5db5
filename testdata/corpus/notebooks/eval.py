# exported from a notebook
import os
os.environ["OPENAI_API_KEY"] = "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"
os.environ["WANDB_API_KEY"] = "8b1e8f59718e01f21e21631caab2079d4acba7c1"
client = Together(api_key=os.environ["TOGETHER_API_KEY"])
