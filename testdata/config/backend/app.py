import logging
import os

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

logger = logging.getLogger(__name__)
app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])
partner = FastAPI()
partner.add_middleware(CORSMiddleware, allow_origins=["https://partner.example.com"], allow_credentials=True)

print(os.environ)
print(os.environ.get("PORT"))


@app.middleware("http")
async def trace(request: Request, call_next):
    logger.info("user agent %s", request.headers.get("User-Agent"))
    return await call_next(request)
