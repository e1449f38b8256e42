"""Local development and `make demo`: SQLite in var/, console email, debug on."""

from .base import *  # noqa: F403
from .base import env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: F405
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
LOG_FORMAT = "text"
LOGGING["handlers"]["console"]["formatter"] = "text"  # noqa: F405
GOVHUB_DEMO_MODE = env_bool("GOVHUB_DEMO_MODE", True)

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
