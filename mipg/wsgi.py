import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mipg.settings")
application = get_wsgi_application()

# Load the views now and keep what the worker has loaded so far (about 200,000 objects:
# modules, classes, URL patterns) out of the garbage collector's full collections, which
# otherwise traverse it all each time: on the plan dashboard at 20,000 actions a full
# collection took 160–300 ms with them, 16–91 ms without (docs/benchmarks.md, "Dashboard
# without formula texts"). They live as long as the worker; refcounting still
# frees whatever of them is dropped, only a cycle among them would stay. bench/pages.py
# imports this module too, to time the pages as a worker serves them.
get_resolver().url_patterns  # noqa: B018  (imports every view)
gc.collect()
gc.freeze()
