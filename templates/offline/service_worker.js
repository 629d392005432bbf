/* EMA's service worker (offline/pwa.py): its configuration, then its scripts. */
"use strict";
self.EMA_WORKER = {{ config|safe }};
importScripts(...self.EMA_WORKER.scripts);
