import logging
import os

import requests

logger = logging.getLogger(__name__)
TOKEN_URL = "https://auth.example.com/oauth/token"


def fetch_token():
    resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": os.environ["CLIENT_ID"]})
    logger.info("token endpoint answered %s", resp.status_code)
    logger.debug("token response: %s", resp.json())
    return resp.json()["access_token"]


def summarize(client, text):
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    logger.info("completion %s used %s tokens", completion.id, completion.usage.total_tokens)
    return completion.choices[0].message.content
