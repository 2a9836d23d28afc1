"""Development settings: DEBUG on unless told otherwise, and a development key only while DEBUG is on."""

import environ

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed development key is acceptable only with DEBUG; without DEBUG, SECRET_KEY must come from the environment.
SECRET_KEY = env(
    "SECRET_KEY", default="django-insecure-dev-only-key-never-use-in-production" if DEBUG else environ.Env.NOTSET
)  # noqa: F405
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
