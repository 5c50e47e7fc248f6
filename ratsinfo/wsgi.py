import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
application = get_wsgi_application()
# What is loaded now lives as long as the process: out of the cyclic collector's sight. Its full
# collections walked every object of Django and the app, 10-30 ms of a search building 10,000
# small rows (bench/search.py); frozen before gunicorn forks, the pages also stay shared. (Garbage
# left by startup, `ratsinfo serve` migrates first, is collected before.)
gc.collect()
gc.freeze()
