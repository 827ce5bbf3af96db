import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'PlantedDjangoSecretKey'
DEBUG = False
ALLOWED_HOSTS = ['portal.example.test']

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'portal',
        'USER': 'portal',
        'PASSWORD': 'PlantedDjangoDbPw',
        'HOST': '127.0.0.1',
        'PORT': '3306',
    }
}

STATIC_ROOT = BASE_DIR / 'static'
MEDIA_ROOT = '/srv/portal-media'
CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1', 'OPTIONS': {'PASSWORD': 'PlantedDjangoCachePw'}}}
