import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# Everything loaded so far lives as long as the process: moved out of the garbage collector's
# sight, the full collections that requests trigger no longer walk all of Django each time.
gc.freeze()
