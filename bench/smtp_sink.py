"""A local SMTP sink for the newsletter benchmark: accepts every mail and only counts.

python bench/smtp_sink.py PORT    # prints {"mails": N, "bytes": B} on SIGTERM
"""

import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.mails = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.mails += 1
        self.bytes += len(envelope.content)
        return "250 OK"


def main(port):
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    controller.stop()
    print(json.dumps({"mails": counter.mails, "bytes": counter.bytes}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
