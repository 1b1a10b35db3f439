import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# Everything loaded so far lives as long as the process: frozen, it is out of the garbage
# collector's sight, and a full collection (which holds the interpreter lock) walks only what
# requests made (measured under 4,000 API searches: 16 ms a full collection instead of 63-73).
gc.freeze()
