import os
from django.core.management.utils import get_random_secret_key

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()
OPENAI_API_KEY = settings.OPENAI_API_KEY
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
STRIPE_SECRET_KEY = config("STRIPE_SECRET_KEY")
