"""Shared by the fake servers: end with the process that started them."""
import os
import threading
import time


def end_with_parent():
    """Exits when the parent process is gone, even when it could not stop this server (a test
    process that died or never let go of it): an orphan would hold its output open."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
