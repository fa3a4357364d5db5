import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = 'zOEZhY8PPxKH0uCegPzR$!icfs4y7lruiwxis0@#s78RDRpGG2QS'
SECRET_KEY_FALLBACKS = [os.environ.get("OLD_SECRET_KEY", "")]
DEBUG = False
ALLOWED_HOSTS = ["shop.acme.example"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": "db.internal",
    }
}

EMAIL_HOST = "smtp.sendgrid.net"
EMAIL_HOST_USER = "apikey"
EMAIL_HOST_PASSWORD = '42KRdirqh3lq8huuGnb934'
AWS_SECRET_ACCESS_KEY = os.getenv("AWS_SECRET_ACCESS_KEY")
AWS_STORAGE_BUCKET_NAME = "acme-shop-media"
CELERY_BROKER_URL = "amqps://celery:eiBVJIJbscNtcu0xQtQc@rattlesnake.rmq.cloudamqp.com/shop"
STRIPE_API_KEY = "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"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
CSRF_COOKIE_NAME = "csrftoken"
SESSION_COOKIE_AGE = 1209600
