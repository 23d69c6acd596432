"""Unbound extension singletons, bound to the app in create_app."""

from authlib.integrations.flask_client import OAuth
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from app.core.db import Database

db = Database()
babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
oauth = OAuth()  # OpenID Connect sign-in; the clients themselves are made per app in app.login.oidc
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")
