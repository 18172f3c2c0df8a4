# SHIM: removed at merge
from search.query.expansion import *  # noqa: F401,F403
