"""``leannet playground``: watch regularization work, live in the browser, on the real engine.

Modules: ``settings`` (what the page can set, its limits and URL form), ``data``
(generators, input features, CSV uploads), ``trainee`` (one network trained step by
step with the library's builder, Trainer and optimizers), ``session`` (the state
behind one page, compare mode), ``views`` (what the page draws), ``export`` (Save
run, Show as code), ``server`` (the Starlette app: token, Host and Origin checks,
one training thread per page).
"""

from .session import Session
from .settings import Settings

__all__ = ["Session", "Settings"]
