DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'PASSWORD': 'Lk4Wq9Zt2Vx7',
        'HOST': os.environ['DB_HOST'],
    }
}
