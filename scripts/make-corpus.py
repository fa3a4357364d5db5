#!/usr/bin/env python3
"""Writes the labelled detection corpus under testdata/corpus/ and its ground truth.

Every secret is a fake (random, seeded, format-valid where the format has a checksum or a
structure). Templates below mark a planted secret as ⟦rule-id:value⟧; everything unmarked
that looks like a secret is a decoy the scanner must stay quiet about. ⟦rule-id@info:value⟧
marks a value that must be reported at `info` and nothing higher: visible, failing no CI (a
weak sample secret in a test or a doc, issue 13). The truth file lists path, line, category,
the expected rule id and, for those, `info`.

Usage: scripts/make-corpus.py [OUTPUT_DIR]   (default testdata/corpus)
"""
import base64, json, os, random, re, string, sys, tomllib, zlib

RNG = random.Random(97)
AL = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
BAD = ["your", "xxxx", "todo", "test", "fake", "dummy", "insert", "sample", "lorem", "1234", "abcd", "dev", "example",
       "hash", "sha", "public", "mock", "nonce", "uuid", "cache"]


def pick(alphabet, n):
    while True:
        s = "".join(RNG.choice(alphabet) for _ in range(n))
        if not any(w in s.lower() for w in BAD) and not re.search(r"(.)\1{5}", s):
            return s


def alnum(n): return pick(AL, n)
def hexs(n): return pick("0123456789abcdef", n)
def lower(n): return pick(string.ascii_lowercase + string.digits, n)
def letters(n): return pick(string.ascii_letters, n)
def urlsafe(n): return pick(AL + "_-", n)
def b64(n): return pick(AL + "+/", n)
def upper(n): return pick(string.ascii_uppercase + string.digits, n)
def base32(n): return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n)
def digits(n): return str(RNG.randint(1, 9)) + pick(string.digits, n - 1)
def uuid(): return f"{hexs(8)}-{hexs(4)}-4{hexs(3)}-a{hexs(3)}-{hexs(12)}"
def rand_bytes(n): return bytes(RNG.randrange(256) for _ in range(n))
def b64url(data): return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b62(n, w):
    out = ""
    while n:
        out = B62[n % 62] + out
        n //= 62
    return out.rjust(w, "0")


def checksummed(prefix):
    body = alnum(30)
    return prefix + body + b62(zlib.crc32(body.encode()), 6)


def jwt(payload, header=None):
    header = header or {"alg": "HS256", "typ": "JWT"}
    enc = lambda o: b64url(json.dumps(o, separators=(",", ":")).encode())
    return f"{enc(header)}.{enc(payload)}.{urlsafe(43)}"


def oai(prefix, n=74): return prefix + urlsafe(n) + "T3BlbkFJ" + urlsafe(n)
def ant(tag): return f"sk-ant-{tag}-" + urlsafe(93) + "AA"


def discord():
    snow = str(RNG.randint(10**17, 2 * 10**18))
    return base64.b64encode(snow.encode()).decode().rstrip("=") + "." + urlsafe(6) + "." + urlsafe(38)


def pem(label, lines=12):
    return f"-----BEGIN {label}-----\n" + "\n".join(b64(64) for _ in range(lines)) + "\n" + b64(24) + f"\n-----END {label}-----"


def openssh():
    head = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
    return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + head + "\n" + "\n".join(b64(70) for _ in range(4)) + "\n" + b64(14) + "==\n-----END OPENSSH PRIVATE KEY-----"


def sa_pem():
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(b64(64) for _ in range(16)) + "\\n" + b64(28) + "==\\n-----END PRIVATE KEY-----"


def pypi():
    # A version 2 macaroon as PyPI serialises it: location, identifier, end of section, no
    # caveats, end of section, then the 32-byte signature the offline check requires.
    loc = b"pypi.org"
    ident = b'{"nonce":"' + hexs(16).encode() + b'","version":1}'
    mac = bytes([2, 1, len(loc)]) + loc + bytes([2, len(ident)]) + ident + bytes([0, 0, 6, 32]) + rand_bytes(40)[:32]
    return "pypi-" + b64url(mac)


def sentry_org():
    payload = {"iat": 1727712345.1, "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme-shop"}
    return "sntrys_" + base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=") + "_" + b64(43)


S = {}  # named values reused across files


def v(name, make):
    if name not in S:
        S[name] = make()
    return S[name]


FILES = {}


def file(path, text): FILES[path] = text


# ----------------------------------------------------------------------------------------
supa_ref = lower(20)
file(".env", f"""# Local development environment for acme-shop (never commit)
NODE_ENV=development
NEXTAUTH_URL=http://localhost:3000
NEXTAUTH_SECRET=⟦session.signing-secret:{b64(43)}=⟧
OPENAI_API_KEY=⟦openai.project-key:{oai("sk-proj-")}⟧
OPENAI_API_KEY_FALLBACK=${{OPENAI_API_KEY}}
ANTHROPIC_API_KEY=⟦anthropic.api-key:{ant("api03")}⟧
GEMINI_API_KEY=⟦google.api-key:AIza{urlsafe(35)}⟧
DATABASE_URL=postgresql://shop:⟦database.url-password:{alnum(20)}⟧@ep-cool-darkness-123456.us-east-2.aws.neon.tech/shop?sslmode=require
DIRECT_URL=postgresql://postgres:postgres@localhost:5432/shop
REDIS_URL=redis://default:⟦database.url-password:{alnum(24)}⟧@redis-12345.c1.us-east-1-2.ec2.cloud.redislabs.com:12345
STRIPE_SECRET_KEY=⟦stripe.test-key:sk_test_51{alnum(97)}⟧
STRIPE_WEBHOOK_SECRET=⟦stripe.webhook-secret:whsec_{alnum(32)}⟧
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟦stripe.publishable-key:pk_test_51{alnum(97)}⟧
NEXT_PUBLIC_SUPABASE_URL=https://{supa_ref}.supabase.co
NEXT_PUBLIC_SUPABASE_ANON_KEY=⟦supabase.anon-key:{jwt({"iss": "supabase", "ref": supa_ref, "role": "anon", "iat": 1727712345, "exp": 2043288345})}⟧
SUPABASE_SERVICE_ROLE_KEY=⟦supabase.service-role-key:{jwt({"iss": "supabase", "ref": supa_ref, "role": "service_role", "iat": 1727712345, "exp": 2043288345})}⟧
NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=⟦clerk.publishable-key:pk_test_{base64.b64encode(b"clerk.acme-shop.com$").decode().rstrip("=")}⟧
CLERK_SECRET_KEY=⟦clerk.test-secret-key:sk_test_{alnum(42)}⟧
CLERK_WEBHOOK_SIGNING_SECRET=⟦standard-webhooks.secret:whsec_{base64.b64encode(rand_bytes(32)).decode()}⟧
RESEND_API_KEY=⟦resend.api-key:re_{alnum(8)}_{alnum(24)}⟧
NEXT_PUBLIC_SENTRY_DSN=⟦sentry.dsn:https://{hexs(32)}@o{digits(6)}.ingest.us.sentry.io/{digits(7)}⟧
SENTRY_AUTH_TOKEN=⟦sentry.org-token:{sentry_org()}⟧
UPSTASH_REDIS_REST_URL=https://fine-owl-12345.upstash.io
UPSTASH_REDIS_REST_TOKEN=⟦upstash.redis-rest-token:AX{urlsafe(60)}=⟧
LOG_LEVEL=debug
FEATURE_FLAGS=checkout-v2,ai-search
""")

file(".env.example", """# Copy to .env and fill in. Every value below is a placeholder.
NEXTAUTH_SECRET=changeme
OPENAI_API_KEY=sk-proj-your-api-key-here
ANTHROPIC_API_KEY=sk-ant-api03-...
DATABASE_URL=postgresql://postgres:postgres@localhost:5432/shop
STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
STRIPE_WEBHOOK_SECRET=whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
NEXT_PUBLIC_SUPABASE_ANON_KEY=<your-anon-key>
SUPABASE_SERVICE_ROLE_KEY=<your-service-role-key>
JWT_SECRET=⟦session.signing-secret@info:secret⟧
SESSION_SECRET=⟦session.signing-secret@info:keyboard cat⟧
RESEND_API_KEY=re_123456789
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""")

file(".env.production", f"""# Production values (leaked on purpose for the corpus)
SESSION_SECRET=⟦session.signing-secret:keyboard cat⟧
JWT_SECRET=⟦session.signing-secret:supersecret⟧
COOKIE_SECRET=⟦session.signing-secret:{alnum(12)}⟧
AUTH_SECRET=⟦session.signing-secret:{b64(44)}⟧
AWS_ACCESS_KEY_ID=⟦aws.access-key-id:AKIA{base32(16)}⟧
AWS_SECRET_ACCESS_KEY=⟦aws.secret-access-key:{b64(40)}⟧
AWS_REGION=eu-west-1
SENDGRID_API_KEY=⟦sendgrid.api-key:SG.{urlsafe(22)}.{urlsafe(43)}⟧
TWILIO_ACCOUNT_SID=AC{hexs(32)}
TWILIO_AUTH_TOKEN=⟦twilio.auth-token:{hexs(32)}⟧
MAILGUN_API_KEY=⟦mailgun.private-key:{hexs(32)}-{hexs(8)}-{hexs(8)}⟧
MAILGUN_DOMAIN=mg.acme-shop.com
GROQ_API_KEY=⟦groq.api-key:gsk_{alnum(52)}⟧
HF_TOKEN=⟦huggingface.token:hf_{letters(34)}⟧
REPLICATE_API_TOKEN=⟦replicate.api-token:r8_{alnum(37)}⟧
PERPLEXITY_API_KEY=⟦perplexity.api-key:pplx-{alnum(48)}⟧
XAI_API_KEY=⟦xai.api-key:xai-{alnum(80)}⟧
DEEPSEEK_API_KEY=⟦deepseek.api-key:sk-{hexs(32)}⟧
OPENROUTER_API_KEY=⟦openrouter.api-key:sk-or-v1-{hexs(64)}⟧
TOGETHER_API_KEY=⟦together.api-key:tgp_v1_{urlsafe(43)}⟧
MISTRAL_API_KEY=⟦mistral.api-key:{alnum(32)}⟧
COHERE_API_KEY=⟦cohere.api-key:{alnum(40)}⟧
ELEVENLABS_API_KEY=⟦elevenlabs.api-key:sk_{hexs(48)}⟧
PINECONE_API_KEY=⟦pinecone.api-key:pcsk_{alnum(6)}_{alnum(63)}⟧
LANGSMITH_API_KEY=⟦langsmith.api-key:lsv2_pt_{hexs(32)}_{hexs(10)}⟧
FIREWORKS_API_KEY=⟦fireworks.api-key:fw_{alnum(24)}⟧
AZURE_OPENAI_ENDPOINT=https://acme-shop.openai.azure.com/
AZURE_OPENAI_API_KEY=⟦azure.openai-key:{hexs(32)}⟧
DATADOG_API_KEY=⟦datadog.api-key:{hexs(32)}⟧
TELEGRAM_BOT_TOKEN=⟦telegram.bot-token:{digits(10)}:AA{urlsafe(33)}⟧
DISCORD_BOT_TOKEN=⟦discord.bot-token:{discord()}⟧
SLACK_BOT_TOKEN=⟦slack.bot-token:xoxb-{digits(11)}-{digits(13)}-{alnum(24)}⟧
LEMONSQUEEZY_API_KEY=⟦lemonsqueezy.api-key:{jwt({"aud": "1", "jti": hexs(40), "iat": 1727712345, "sub": "123456", "scopes": []}, {"typ": "JWT", "alg": "RS256"})}⟧
TURSO_AUTH_TOKEN=⟦turso.auth-token:{jwt({"a": "rw", "iat": 1727712345, "id": uuid()}, {"alg": "EdDSA", "typ": "JWT"})}⟧
PLANETSCALE_SERVICE_TOKEN_ID={lower(12)}
PLANETSCALE_SERVICE_TOKEN=⟦planetscale.service-token:pscale_tkn_{urlsafe(43)}⟧
NEON_API_KEY=⟦neon.api-key:napi_{lower(64)}⟧
SUPABASE_SECRET_KEY=⟦supabase.secret-key:sb_secret_{urlsafe(31)}⟧
NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY=⟦supabase.publishable-key:sb_publishable_{urlsafe(31)}⟧
VERCEL_TOKEN=⟦vercel.token:vcp_{alnum(56)}⟧
NETLIFY_AUTH_TOKEN=⟦netlify.token:nfp_{alnum(36)}⟧
RELEASE_SHA={hexs(40)}
BUILD_ID={uuid()}
""")

file("backend/.env", f"""APP_NAME=AcmeShop
APP_ENV=production
APP_KEY=⟦session.laravel-app-key:base64:{base64.b64encode(rand_bytes(32)).decode()}⟧
APP_DEBUG=false
DB_CONNECTION=mysql
DB_HOST=127.0.0.1
DB_PASSWORD=
MAIL_MAILER=smtp
MAIL_HOST=email-smtp.eu-west-1.amazonaws.com
MAIL_USERNAME=AKIA{base32(16)}
MAIL_PASSWORD=⟦aws.ses-smtp-password:{base64.b64encode(bytes([4]) + rand_bytes(32)).decode()}⟧
BREVO_API_KEY=⟦brevo.api-key:xkeysib-{hexs(64)}-{alnum(16)}⟧
MAILCHIMP_API_KEY=⟦mailchimp.api-key:{hexs(32)}-us21⟧
POSTMARK_SERVER_TOKEN=⟦postmark.server-token:{uuid()}⟧
PUSHER_APP_ID={digits(7)}
PUSHER_APP_SECRET=⟦pusher.app-secret:{hexs(20)}⟧
""")
# The SES user name above is the IAM key id: also an AWS key id finding.
FILES["backend/.env"] = FILES["backend/.env"].replace("MAIL_USERNAME=AKIA", "MAIL_USERNAME=⟦aws.access-key-id:AKIA", 1)
FILES["backend/.env"] = re.sub(r"(MAIL_USERNAME=⟦aws\.access-key-id:AKIA[A-Z2-7]{16})", r"\1⟧", FILES["backend/.env"])

file("config/settings.py", f"""import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = '⟦session.django-secret-key:{alnum(20)}$!{lower(16)}@#{alnum(12)}⟧'
SECRET_KEY_FALLBACKS = [os.environ.get("OLD_SECRET_KEY", "")]
DEBUG = False
ALLOWED_HOSTS = ["shop.acme.example"]

DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": "db.internal",
    }}
}}

EMAIL_HOST = "smtp.sendgrid.net"
EMAIL_HOST_USER = "apikey"
EMAIL_HOST_PASSWORD = '⟦smtp.password:{alnum(22)}⟧'
AWS_SECRET_ACCESS_KEY = os.getenv("AWS_SECRET_ACCESS_KEY")
AWS_STORAGE_BUCKET_NAME = "acme-shop-media"
CELERY_BROKER_URL = "amqps://celery:⟦database.url-password:{alnum(20)}⟧@rattlesnake.rmq.cloudamqp.com/shop"
STRIPE_API_KEY = "⟦stripe.secret-key:sk_live_51{alnum(97)}⟧"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}}]
CSRF_COOKIE_NAME = "csrftoken"
SESSION_COOKIE_AGE = 1209600
""")

file("config/config.yaml", f"""service: acme-shop-api
version: 3.4.1
commit: {hexs(40)}
image_digest: sha256:{hexs(64)}
request_id: {uuid()}
mongo:
  uri: "mongodb+srv://api:⟦database.url-password:{alnum(18)}⟧@cluster0.x7y8z.mongodb.net/shop?retryWrites=true&w=majority"
cache:
  url: redis://cache:6379/0
notifications:
  slack_webhook: ⟦slack.webhook-url:https://hooks.slack.com/services/T{upper(10)}/B{upper(10)}/{alnum(24)}⟧
  discord_webhook: ⟦discord.webhook-url:https://discord.com/api/webhooks/{digits(19)}/{urlsafe(68)}⟧
  teams_webhook: ${{TEAMS_WEBHOOK_URL}}
observability:
  sentry_dsn: https://{hexs(32)}@o{digits(6)}.ingest.sentry.io/{digits(7)}
  dd_api_key: ⟦datadog.api-key:{hexs(32)}⟧
  new_relic_license_key: ⟦newrelic.license-key:{hexs(36)}NRAL⟧
  api_token_ttl: 3600
auth:
  jwt_public_key_path: /etc/acme/jwt.pub
  password_min_length: 12
  token_issuer: https://auth.acme.example
payments:
  paypal_client_id: A{urlsafe(79)}
  paypal_client_secret: ⟦paypal.client-secret:E{urlsafe(79)}⟧
  square_access_token: ⟦square.access-token:EAAA{urlsafe(60)}⟧
""")
# the Sentry DSN in config.yaml is public by design and still reported (info)
FILES["config/config.yaml"] = re.sub(r"sentry_dsn: (https://[0-9a-f]{32}@o[0-9]+\.ingest\.sentry\.io/[0-9]+)", r"sentry_dsn: ⟦sentry.dsn:\1⟧", FILES["config/config.yaml"])

file("k8s/deployment.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-worker
  labels:
    app: shop-worker
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: worker
          image: ghcr.io/acme/shop-worker@sha256:{hexs(64)}
          env:
            - name: OPENROUTER_API_KEY
              valueFrom:
                secretKeyRef:
                  name: shop-secrets
                  key: openrouter
            - name: CLOUDFLARE_API_TOKEN
              value: "⟦cloudflare.api-token:{urlsafe(40)}⟧"
            - name: AZURE_STORAGE_CONNECTION_STRING
              value: "DefaultEndpointsProtocol=https;AccountName=acmeshop;AccountKey=⟦azure.storage-account-key:{b64(86)}==⟧;EndpointSuffix=core.windows.net"
            - name: VAULT_TOKEN
              value: ⟦hashicorp.vault-token:hvs.{urlsafe(95)}⟧
            - name: POD_UID
              value: "{uuid()}"
""")

file("k8s/secret.yaml", f"""apiVersion: v1
kind: Secret
metadata:
  name: shop-secrets
type: Opaque
stringData:
  openrouter: ⟦openrouter.api-key:sk-or-v1-{hexs(64)}⟧
  DIGITALOCEAN_TOKEN: ⟦digitalocean.pat:dop_v1_{hexs(64)}⟧
  GITLAB_TOKEN: ⟦gitlab.pat:glpat-{urlsafe(20)}⟧
""")

file("docker-compose.yml", f"""services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
  azurite:
    image: mcr.microsoft.com/azure-storage/azurite
  app:
    build: .
    environment:
      DATABASE_URL: postgres://postgres:postgres@db:5432/shop
      AZURE_STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://azurite:10000/devstoreaccount1;"
      RABBITMQ_URL: amqp://guest:guest@rabbitmq:5672/
      OPENAI_API_KEY: ${{OPENAI_API_KEY}}
""")

file("Dockerfile", f"""FROM node:20-alpine AS build
ARG GITHUB_TOKEN
ENV NPM_TOKEN=⟦npm.token:{checksummed("npm_")}⟧
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
COPY . .
RUN npm run build
FROM node:20-alpine
ENV NODE_ENV=production
COPY --from=build /app/.next ./.next
CMD ["npm", "start"]
""")

file(".github/workflows/deploy.yml", f"""name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      VERCEL_TOKEN: ${{{{ secrets.VERCEL_TOKEN }}}}
      VERCEL_ORG_ID: ${{{{ vars.VERCEL_ORG_ID }}}}
      DOCKERHUB_TOKEN: ⟦dockerhub.pat:dckr_pat_{urlsafe(27)}⟧
    steps:
      - uses: actions/checkout@{hexs(40)}
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npx vercel deploy --prod --token=$VERCEL_TOKEN
      - name: notify
        run: curl -X POST -H 'Content-type: application/json' --data '{{"text":"deployed"}}' ⟦slack.webhook-url:https://hooks.slack.com/services/T{upper(10)}/B{upper(10)}/{alnum(24)}⟧
      - name: publish
        env:
          NODE_AUTH_TOKEN: ${{{{ secrets.NPM_TOKEN }}}}
          PYPI_TOKEN: ⟦pypi.token:{pypi()}⟧
        run: npm publish
""")

ghp = checksummed("ghp_")
file(".npmrc", f"""//registry.npmjs.org/:_authToken=${{NPM_TOKEN}}
@acme:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦github.pat:{ghp}⟧
always-auth=true
""")

file("src/lib/firebase.ts", f"""import {{ initializeApp }} from "firebase/app";

// Web config: public by design (restricted by HTTP referrer in the console).
const firebaseConfig = {{
  apiKey: "⟦google.firebase-web-key:AIza{urlsafe(35)}⟧",
  authDomain: "acme-shop.firebaseapp.com",
  projectId: "acme-shop",
  storageBucket: "acme-shop.appspot.com",
  messagingSenderId: "{digits(12)}",
  appId: "1:{digits(12)}:web:{hexs(22)}",
}};

export const app = initializeApp(firebaseConfig);
""")

file("src/lib/ai.ts", f"""import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

export const openai = new OpenAI({{ apiKey: process.env.OPENAI_API_KEY }});

// TODO: move to env before launch
export const anthropic = new Anthropic({{ apiKey: "⟦anthropic.api-key:{ant("api03")}⟧" }});

export const claudeCode = {{ token: process.env.CLAUDE_CODE_OAUTH_TOKEN ?? "" }};
const HF_MODEL = "sentence-transformers/all-MiniLM-L6-v2";
const tokenizerName = "bert-base-uncased-whole-word-masking";
export const MAX_TOKENS = 4096;
export const grok = {{ baseURL: "https://api.x.ai/v1", apiKey: "⟦xai.api-key:xai-{alnum(80)}⟧" }};
export const embeddings = {{ model: HF_MODEL, tokenizer: tokenizerName }};
export const gemini = "https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent?key=⟦google.api-key:AIza{urlsafe(35)}⟧";
""")

file("src/server/payments.js", f"""const Stripe = require("stripe");
const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const braintree = require("braintree");

const gateway = new braintree.BraintreeGateway({{
  accessToken: "⟦braintree.access-token:access_token$production${lower(16)}${hexs(32)}⟧",
}});

const square = {{ accessToken: "⟦square.legacy-token:sq0atp-{urlsafe(22)}⟧", environment: "production" }};
const shopify = {{ adminToken: "⟦shopify.access-token:shpat_{hexs(32)}⟧" }};
const idempotencyKey = "{uuid()}";
module.exports = {{ stripe, gateway, square, shopify, idempotencyKey }};
""")

file("src/server/session.js", f"""const express = require("express");
const session = require("express-session");
const cookieParser = require("cookie-parser");

const app = express();
app.use(cookieParser("⟦session.express-secret:{alnum(40)}⟧"));
app.use(session({{ secret: '⟦session.express-secret:keyboard cat⟧', resave: false, saveUninitialized: true }}));
app.use(session({{ secret: process.env.SESSION_SECRET, name: "sid" }}));
module.exports = app;
""")

file("src/server/mail.ts", f"""import nodemailer from "nodemailer";

export const transport = nodemailer.createTransport("smtps://noreply%40acme-shop.com:⟦smtp.url-password:{alnum(16)}⟧@smtp.gmail.com:465");
export const fallback = nodemailer.createTransport(process.env.SMTP_URL);
export const apiHeaders = {{ Authorization: "Bearer ⟦generic.authorization-header:{alnum(40)}⟧" }};
""")

file("src/server/integrations.py", f"""import os
import hashlib

GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY")
COMMIT = "{hexs(40)}"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
INTERNAL_API_TOKEN = "⟦generic.assignment:{alnum(32)}⟧"
SERVICE_PASSWORD = "⟦generic.assignment:{alnum(10)}-{alnum(10)}⟧"
password_hash = "⟦password-hash.crypt:$2b$12${b64(53).replace("+", ".")}⟧"
csrf_token = "{hexs(32)}"
cache_key = "{hexs(64)}"
LINEAR_API_KEY = "⟦linear.api-key:lin_api_{alnum(40)}⟧"
NOTION_TOKEN = "⟦notion.integration-token:ntn_{digits(11)}{alnum(35)}⟧"
HEROKU_API_KEY = "⟦heroku.legacy-api-key:{uuid()}⟧"


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
""")

file("scripts/deploy.sh", f"""#!/usr/bin/env bash
set -euo pipefail
export PULUMI_ACCESS_TOKEN=⟦pulumi.access-token:pul-{hexs(40)}⟧
export TF_TOKEN_app_terraform_io="⟦hashicorp.terraform-token:{alnum(14)}.atlasv1.{urlsafe(67)}⟧"
docker login ghcr.io -u deploy-bot --password "$REGISTRY_PASSWORD"
mysql --user=deploy --password=⟦generic.cli-password:{alnum(18)}⟧ shop < migrations/001.sql
curl -s -H "Authorization: Bearer $API_TOKEN" https://api.acme.example/health
pip install --index-url https://build:⟦generic.url-credentials:{alnum(24)}⟧@pypi.acme-shop.com/simple acme-sdk
git clone https://github.com/acme/shop.git
""")

file("infra/terraform.tfvars", f"""region          = "fra1"
do_token        = "⟦digitalocean.pat:dop_v1_{hexs(64)}⟧"
cloudflare_zone = "{hexs(32)}"
sentry_token    = "⟦sentry.user-token:sntryu_{hexs(64)}⟧"
grafana_token   = "⟦grafana.service-account-token:glsa_{alnum(32)}_{hexs(8)}⟧"
alicloud_key    = "⟦alibaba.access-key-id:LTAI{alnum(20)}⟧"
azure_client_secret = "⟦azure.entra-client-secret:{alnum(3)}8Q~{alnum(34)}⟧"
gcp_oauth_secret    = "⟦gcp.oauth-client-secret:GOCSPX-{urlsafe(28)}⟧"
""")

file("deploy/service-account.json", """{
  "type": "service_account",
  "project_id": "acme-shop-prod",
  "private_key_id": "%s",
  "private_key": "⟦gcp.service-account-key:%s⟧\\n",
  "client_email": "shop-api@acme-shop-prod.iam.gserviceaccount.com",
  "client_id": "%s",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""" % (hexs(40), sa_pem(), digits(21)))

file("deploy/id_ed25519", "⟦private-key.openssh:" + openssh() + "⟧\n")
file("deploy/id_ed25519.pub", f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b64(43)} deploy@acme\n")
file("certs/server.key", "⟦private-key.pem:" + pem("RSA PRIVATE KEY", 25) + "⟧\n")
file("certs/server.crt", pem("CERTIFICATE", 18) + "\n")
file("certs/jwt.pub", pem("PUBLIC KEY", 6) + "\n")

file("docs/setup.md", f"""# Setting up acme-shop

1. Copy `.env.example` to `.env`.
2. Create an OpenAI key and set `OPENAI_API_KEY="sk-proj-..."`.
3. For S3 uploads, the AWS docs use the pair `AKIAIOSFODNN7EXAMPLE` / `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`.
4. Session signing: `JWT_SECRET=⟦session.signing-secret@info:secret⟧` works locally; generate a real one with `openssl rand -base64 32`.
5. A sample token from jwt.io: `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`
6. Stripe test card flow uses `sk_test_4eC39HqLyjWDarjtT1zdp7dc` from the Stripe docs.

Troubleshooting the GitHub API (this token was pasted by mistake and must be rotated):

```
curl -H "Authorization: token ⟦github.pat:{checksummed("ghp_")}⟧" https://api.github.com/user
```

Webhook receivers verify `X-Hub-Signature-256` with `GITHUB_WEBHOOK_SECRET`.
""")

# Minified bundle: a public-prefixed key inlined by the build, data: URIs and minified identifiers.
png = base64.b64encode(rand_bytes(600)).decode()
png = png[:200] + "+AIza" + urlsafe(35) + "/" + png[240:]
font = base64.b64encode(rand_bytes(900)).decode()
font = font[:300] + "/AKIA" + base32(16) + "+" + font[321:]
file("public/assets/app.min.js",
     "!function(){\"use strict\";var e={apiKeyHeader:\"x-api-key\",tokenStorageKey:\"acme.session.token\",passwordField:\"currentPasswordInputValue\"};"
     + "var t=\"data:image/png;base64," + png + "\";var n=\"url(data:font/woff2;base64," + font + ")\";"
     + "var r={NEXT_PUBLIC_OPENAI_API_KEY:\"⟦openai.project-key:" + oai("sk-proj-", 58) + "⟧\",NEXT_PUBLIC_POSTHOG_KEY:\"⟦posthog.project-key:phc_" + alnum(43) + "⟧\"};"
     + "function o(a){return a.getUserAccessTokenFromSessionStore()}var i={clientSecretParam:\"clientSecretFromPaymentIntent\"};window.__app={e:e,t:t,n:n,r:r,o:o,i:i}}();\n")

lock = {"name": "acme-shop", "lockfileVersion": 3, "packages": {}}
for name in ["js-tokens", "jsonwebtoken", "secret-handshake", "token-types", "passport-local", "@aws-sdk/credential-providers"]:
    lock["packages"]["node_modules/" + name] = {
        "version": f"{RNG.randint(1, 9)}.{RNG.randint(0, 20)}.{RNG.randint(0, 9)}",
        "resolved": f"https://registry.npmjs.org/{name}/-/{name.split('/')[-1]}-1.0.0.tgz",
        "integrity": "sha512-" + base64.b64encode(rand_bytes(64)).decode(),
    }
file("package-lock.json", json.dumps(lock, indent=2) + "\n")

file("yarn.lock", "".join(f"""
"{n}@^1.0.0":
  version "1.0.{i}"
  resolved "https://registry.yarnpkg.com/{n}/-/{n}-1.0.{i}.tgz#{hexs(40)}"
  integrity sha512-{base64.b64encode(rand_bytes(64)).decode()}
""" for i, n in enumerate(["tokenizer", "secret-stream", "password-prompt"])))

file("src/i18n/en.json", json.dumps({
    "login.password": "Password must be at least 12 characters",
    "settings.apiKey": "Paste your API key",
    "settings.apiKeyHelp": "Keys start with sk- and are shown once",
    "errors.tokenExpired": "Your session token expired, please sign in again",
    "billing.secretHint": "We never store your card details",
}, indent=2) + "\n")

file("src/generated/graphql.ts", """export const GetUserAccessTokenDocument = "getUserAccessTokenQueryDocumentNode";
export const RefreshTokenMutation = { kind: "Document", definitions: [], tokenName: "refreshSessionTokenMutation" };
export const passwordResetTokenField = "passwordResetTokenExpiresAt";
export const secretManagerPath = "projects/acme-shop/secrets/stripe-live-key/versions/latest";
""")

file("db/migrations/001_seed.sql", f"""INSERT INTO users (id, email, password_hash, api_token_hash) VALUES
  ('{uuid()}', 'admin@acme.example', '⟦password-hash.pbkdf2-argon2:$argon2id$v=19$m=65536,t=3,p=4${b64(22)}${b64(43)}⟧', '{hexs(64)}');
INSERT INTO api_keys (id, prefix, secret_sha256) VALUES ('{uuid()}', 'ak_live', '{hexs(64)}');
""")

file("tests/auth.test.ts", """import { sign } from "jsonwebtoken";
const JWT_SECRET = "⟦session.signing-secret@info:test-secret⟧";
it("signs", () => { expect(sign({ sub: "1" }, JWT_SECRET)).toBeTruthy(); });
""")

file("logs/build.log", f"""2024-05-01T12:00:00.1234567Z ##[group]Run npm publish
2024-05-01T12:00:00.2234567Z NODE_AUTH_TOKEN: ***
2024-05-01T12:00:01.0034567Z npm notice Publishing to https://registry.npmjs.org/ with tag latest
2024-05-01T12:00:02.4434567Z Using GITHUB_TOKEN=⟦github.app-token:{checksummed("ghs_")}⟧ for the release upload
2024-05-01T12:00:03.0000000Z Uploaded asset sha256={hexs(64)}
""")

file("mobile/app.config.ts", f"""export default {{
  expo: {{
    name: "Acme Shop",
    extra: {{
      revenueCatKey: process.env.EXPO_PUBLIC_REVENUECAT_KEY,
      mapboxToken: "⟦mapbox.public-token:pk.eyJ1IjoiYWNtZS1zaG9wIiwiYSI6I{urlsafe(30)}.{urlsafe(22)}⟧",
      stripePublishableKey: "⟦stripe.publishable-key:pk_live_51{alnum(97)}⟧",
    }},
  }},
}};
""")

file("config/credentials/production.yml", f"""aws:
  access_key_id: ⟦aws.access-key-id:ASIA{base32(16)}⟧
  secret_access_key: ⟦aws.secret-access-key:{b64(40)}⟧
rails:
  secret_key_base: {hexs(128)}
braintree:
  private_key: ⟦braintree.private-key:{hexs(32)}⟧
twilio:
  account_sid: AC{hexs(32)}
  api_secret: {alnum(32)}
""")
FILES["config/credentials/production.yml"] = FILES["config/credentials/production.yml"].replace(
    "secret_key_base: ", "secret_key_base: ⟦session.signing-secret:").replace("\nbraintree:", "⟧\nbraintree:", 1)
FILES["config/credentials/production.yml"] = re.sub(r"api_secret: ([A-Za-z0-9]{32})", r"api_secret: ⟦twilio.api-key:\1⟧", FILES["config/credentials/production.yml"])

file("config/phoenix/prod.exs", f"""import Config

config :shop, ShopWeb.Endpoint,
  url: [host: "shop.acme.example", port: 443],
  secret_key_base: "⟦session.phoenix-secret-key-base:{b64(64)}⟧"

config :shop, Shop.Repo, password: System.get_env("DB_PASSWORD")
""")

file("app/flask_app.py", f"""from flask import Flask

app = Flask(__name__)
app.config['SECRET_KEY'] = '⟦session.flask-secret-key:dev⟧'
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql://shop:⟦database.url-password:{alnum(16)}⟧@mysql.internal:3306/shop"
""")

file("app/src/main/resources/application.properties", f"""spring.application.name=shop
spring.datasource.url=jdbc:postgresql://db.prod.internal:5432/shop?user=shop&password=⟦database.jdbc-password:{alnum(18)}⟧&ssl=true
spring.datasource.hikari.maximum-pool-size=10
management.endpoints.web.exposure.include=health
""")

file("app/appsettings.json", json.dumps({
    "ConnectionStrings": {"Default": "Server=tcp:acme.database.windows.net,1433;Database=shop;User ID=shop;Password=PLACEHOLDER;Encrypt=True;"},
    "Logging": {"LogLevel": {"Default": "Information"}},
}, indent=2).replace("PLACEHOLDER", "⟦database.connection-string-password:" + alnum(20) + "⟧") + "\n")

file("notebooks/eval.py", f"""# exported from a notebook
import os
os.environ["OPENAI_API_KEY"] = "⟦openai.legacy-key:sk-{alnum(20)}T3BlbkFJ{alnum(20)}⟧"
os.environ["WANDB_API_KEY"] = "⟦wandb.api-key:{hexs(40)}⟧"
client = Together(api_key=os.environ["TOGETHER_API_KEY"])
""")

file("bots/discord.js", f"""const {{ Client }} = require("discord.js");
const client = new Client({{ intents: [] }});
const DISCORD_APPLICATION_ID = "{digits(19)}";
client.login("⟦discord.bot-token:{discord()}⟧");
""")


file("src/decoys.ts", f"""// References, patterns and identifiers that only look like secrets.
export const tokenRegex = /^[A-Za-z0-9_-]{{20,}}$/;
export const apiKey = process.env.NEXT_PUBLIC_API_KEY ?? "";
export const stripeKey = import.meta.env.VITE_STRIPE_SECRET_KEY;
export const secretName = "projects/acme/secrets/openai-api-key/versions/latest";
export const passwordPolicy = {{ minLength: 12, requireSymbols: true }};
export const avatar = "data:image/png;base64,{base64.b64encode(rand_bytes(300)).decode()}";
export const releaseCommitToken = "{hexs(7)}";
export const githubAction = "actions/checkout@{hexs(40)}";
export const requestId = "{uuid()}";
export const accessTokenCookieName = "__Secure-acme.session-token";
export const AUTH_HEADER = `Bearer ${{process.env.API_TOKEN}}`;
""")

file("infra/main.tf", f"""variable "db_password" {{
  type      = string
  sensitive = true
}}

resource "aws_db_instance" "shop" {{
  identifier = "shop-prod"
  password   = var.db_password
  username   = "shop"
}}

resource "random_password" "session_secret" {{
  length = 64
}}
""")

file("app/settings_local.py", """import os
from django.core.management.utils import get_random_secret_key

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()
OPENAI_API_KEY = settings.OPENAI_API_KEY
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
STRIPE_SECRET_KEY = config("STRIPE_SECRET_KEY")
""")

# ----------------------------------------------------------------------------------------
def categories():
    out = {}
    for name in os.listdir("rules"):
        if name.endswith(".toml"):
            for rule in tomllib.load(open(os.path.join("rules", name), "rb")).get("rule", []):
                out[rule["id"]] = rule["category"]
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "testdata/corpus"
    cats = categories()
    truth = []
    marker = re.compile(r"⟦([a-z0-9.-]+)(@info)?:(.*?)⟧", re.S)
    for path, text in sorted(FILES.items()):
        clean = ""
        last = 0
        for m in marker.finditer(text):
            clean += text[last:m.start()]
            rule_id = m.group(1)
            assert rule_id in cats, rule_id
            row = (path, clean.count("\n") + 1, cats[rule_id], rule_id)
            truth.append(row + ("info",) if m.group(2) else row)
            clean += m.group(3)
            last = m.end()
        clean += text[last:]
        assert "⟦" not in clean and "⟧" not in clean, path
        full = os.path.join(outdir, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(clean)
    with open(os.path.join(outdir, "truth.tsv"), "w") as f:
        f.write("# path\tline\tcategory\trule_id[\tinfo: reported at info, failing no CI]  (generated by scripts/make-corpus.py)\n")
        for row in truth:
            f.write("\t".join(map(str, row)) + "\n")
    print(f"{len(FILES)} files, {len(truth)} planted secrets")


main()
